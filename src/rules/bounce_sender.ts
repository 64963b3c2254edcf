/** The null sender, the double-bounce sender #@[] and MAILER-DAEMON never get mail from qmvc. */
export function isBounceSender(sender: string): boolean {
  if (sender === "" || sender === "#@[]") return true;
  const local = sender.split("@")[0]?.toLowerCase() ?? "";
  return local === "mailer-daemon";
}
