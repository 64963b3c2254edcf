import type { Action } from "../profile/mod.ts";

/** How one action is told to a reader: a phrase for the subject and a sentence for the body. */
export interface OutcomeWords {
  /** Completes "A message to you was ..." / "Your message was ..." (the %DONE% placeholder). */
  readonly done: string;
  /** One sentence on what became of the message (the %OUTCOME% placeholder). */
  readonly outcome: string;
}

type Table = Readonly<Record<Action, OutcomeWords>>;

const EN: Table = {
  quarantine: {
    done: "quarantined",
    outcome: "The message was put into quarantine and was not delivered.",
  },
  trash: { done: "deleted", outcome: "The message was deleted and was not delivered." },
  forward: {
    done: "forwarded to the administrator",
    outcome: "The message was forwarded to the mail administrator instead of being delivered.",
  },
  bounce: {
    done: "refused",
    outcome: "The message was refused; its sender gets a delivery failure report.",
  },
  tag: {
    done: "delivered with a warning",
    outcome: "The message was delivered all the same, marked with a warning.",
  },
  pass: { done: "delivered", outcome: "The message was delivered all the same." },
};

const DE: Table = {
  quarantine: {
    done: "in Quarant\u00e4ne gestellt",
    outcome: "Die Nachricht wurde in Quarant\u00e4ne gestellt und nicht zugestellt.",
  },
  trash: {
    done: "gel\u00f6scht",
    outcome: "Die Nachricht wurde gel\u00f6scht und nicht zugestellt.",
  },
  forward: {
    done: "an den Administrator weitergeleitet",
    outcome: "Die Nachricht wurde statt zugestellt an den Mail-Administrator weitergeleitet.",
  },
  bounce: {
    done: "abgewiesen",
    outcome: "Die Nachricht wurde abgewiesen; der Absender erh\u00e4lt eine Fehlermeldung.",
  },
  tag: {
    done: "mit einer Warnung zugestellt",
    outcome: "Die Nachricht wurde trotzdem zugestellt, mit einer Warnung versehen.",
  },
  pass: { done: "zugestellt", outcome: "Die Nachricht wurde trotzdem zugestellt." },
};

const FR: Table = {
  quarantine: {
    done: "mis en quarantaine",
    outcome:
      "Le message a \u00e9t\u00e9 mis en quarantaine et n'a pas \u00e9t\u00e9 distribu\u00e9.",
  },
  trash: {
    done: "supprim\u00e9",
    outcome: "Le message a \u00e9t\u00e9 supprim\u00e9 et n'a pas \u00e9t\u00e9 distribu\u00e9.",
  },
  forward: {
    done: "transmis \u00e0 l'administrateur",
    outcome:
      "Le message a \u00e9t\u00e9 transmis \u00e0 l'administrateur de la messagerie au lieu d'\u00eatre distribu\u00e9.",
  },
  bounce: {
    done: "refus\u00e9",
    outcome:
      "Le message a \u00e9t\u00e9 refus\u00e9 ; son exp\u00e9diteur re\u00e7oit un avis de non-remise.",
  },
  tag: {
    done: "distribu\u00e9 avec un avertissement",
    outcome:
      "Le message a tout de m\u00eame \u00e9t\u00e9 distribu\u00e9, marqu\u00e9 d'un avertissement.",
  },
  pass: {
    done: "distribu\u00e9",
    outcome: "Le message a tout de m\u00eame \u00e9t\u00e9 distribu\u00e9.",
  },
};

const ES: Table = {
  quarantine: {
    done: "puesto en cuarentena",
    outcome: "El mensaje se ha puesto en cuarentena y no se ha entregado.",
  },
  trash: { done: "eliminado", outcome: "El mensaje se ha eliminado y no se ha entregado." },
  forward: {
    done: "reenviado al administrador",
    outcome: "El mensaje se ha reenviado al administrador de correo en lugar de entregarse.",
  },
  bounce: {
    done: "rechazado",
    outcome: "El mensaje se ha rechazado; su remitente recibe un aviso de no entrega.",
  },
  tag: {
    done: "entregado con una advertencia",
    outcome: "El mensaje se ha entregado de todos modos, marcado con una advertencia.",
  },
  pass: { done: "entregado", outcome: "El mensaje se ha entregado de todos modos." },
};

const IT: Table = {
  quarantine: {
    done: "messo in quarantena",
    outcome: "Il messaggio \u00e8 stato messo in quarantena e non \u00e8 stato consegnato.",
  },
  trash: {
    done: "eliminato",
    outcome: "Il messaggio \u00e8 stato eliminato e non \u00e8 stato consegnato.",
  },
  forward: {
    done: "inoltrato all'amministratore",
    outcome:
      "Il messaggio \u00e8 stato inoltrato all'amministratore della posta invece di essere consegnato.",
  },
  bounce: {
    done: "respinto",
    outcome:
      "Il messaggio \u00e8 stato respinto; il mittente riceve un avviso di mancata consegna.",
  },
  tag: {
    done: "consegnato con un avviso",
    outcome: "Il messaggio \u00e8 stato consegnato comunque, contrassegnato con un avviso.",
  },
  pass: { done: "consegnato", outcome: "Il messaggio \u00e8 stato consegnato comunque." },
};

const NL: Table = {
  quarantine: {
    done: "in quarantaine geplaatst",
    outcome: "Het bericht is in quarantaine geplaatst en niet afgeleverd.",
  },
  trash: { done: "verwijderd", outcome: "Het bericht is verwijderd en niet afgeleverd." },
  forward: {
    done: "doorgestuurd naar de beheerder",
    outcome: "Het bericht is naar de mailbeheerder doorgestuurd in plaats van afgeleverd.",
  },
  bounce: {
    done: "geweigerd",
    outcome: "Het bericht is geweigerd; de afzender krijgt een foutmelding.",
  },
  tag: {
    done: "met een waarschuwing afgeleverd",
    outcome: "Het bericht is toch afgeleverd, voorzien van een waarschuwing.",
  },
  pass: { done: "afgeleverd", outcome: "Het bericht is toch afgeleverd." },
};

const TABLES: Readonly<Record<string, Table>> = { en: EN, de: DE, fr: FR, es: ES, it: IT, nl: NL };

/** The words for `action` in `language`, or in English for a language qmvc does not speak. */
export function outcomeWords(action: Action, language: string): OutcomeWords {
  return (TABLES[language] ?? EN)[action];
}
