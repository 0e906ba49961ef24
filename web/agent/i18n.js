/*!
 * Klantreis agent console: the UI texts (Dutch and English) and the language choice, shared by
 * login.html and console.html. Plain JavaScript, no build step.
 *
 * Texts are only ever put in the page with textContent. A stored choice (the NL/EN toggle) wins;
 * otherwise the console uses the agent's language from /agent/api/me and the login page Dutch.
 */
(function (window) {
  "use strict";

  var STORAGE_KEY = "klantreis.agent.lang";

  var TEXT = {
    nl: {
      // shared
      appName: "Klantreis",
      consoleName: "Klantenservice-console",
      langButton: "EN",
      langLabel: "Switch to English",
      genericError: "Er ging iets mis. Probeer het opnieuw.",
      networkError: "Geen verbinding met de server. Probeer het opnieuw.",

      // login
      loginTitle: "Inloggen",
      loginIntro: "Log in met je medewerkersaccount.",
      username: "Gebruikersnaam",
      password: "Wachtwoord",
      showPassword: "Wachtwoord tonen",
      hidePassword: "Wachtwoord verbergen",
      loginSubmit: "Inloggen",
      loggingIn: "Bezig met inloggen…",
      loginInvalid: "Onbekende gebruikersnaam of verkeerd wachtwoord",
      loginTooMany: "Te veel pogingen, probeer het over een minuut opnieuw",
      loginMissing: "Vul je gebruikersnaam en wachtwoord in",
      loginFooter: "Alleen voor medewerkers van de klantenservice.",

      // top bar
      logout: "Uitloggen",
      live: "Live",
      connecting: "Verbinden…",
      offline: "Offline — opnieuw verbinden…",
      roleSupervisor: "Supervisor",
      roleAgent: "Medewerker",

      // queue
      queueLabel: "Wachtrij",
      secMine: "Mijn gesprekken",
      secWaiting: "Wachtend",
      secTickets: "Berichten (tickets)",
      secOthers: "Bij collega's",
      secTeam: "Team",
      emptyMine: "Je hebt geen open gesprekken.",
      emptyWaiting: "Er wacht niemand.",
      emptyTickets: "Geen achtergelaten berichten.",
      emptyOthers: "Collega's hebben geen open gesprekken.",
      claim: "Oppakken",
      claiming: "Bezig…",
      reassign: "Toewijzen…",
      reassignLabel: "Gesprek toewijzen aan een collega",
      current: "huidig",
      offlineAgent: "offline",
      online: "online",
      anonymous: "Anonieme klant",
      urgent: "Urgent",
      low: "Laag",
      unread: "Nieuw bericht",
      withAgent: "Bij {name}",
      withYou: "Bij jou",
      ticketOwner: "Opgepakt door {name}",
      noMessage: "Nog geen bericht",

      // reasons
      reason_explicit: "Vraagt om een medewerker",
      reason_complaint: "Klacht",
      reason_fallback: "Bot begreep het niet",
      reason_verification: "Verificatie mislukt",
      reason_act: "Beschadigd artikel",
      reason_message: "Bericht achtergelaten",
      reason_timeout: "Wachttijd verlopen",

      // statuses of a handoff
      status_waiting: "Wachtend",
      status_assigned: "In behandeling",
      status_ticket: "Bericht (ticket)",
      status_resolved: "Afgerond",
      status_returned: "Terug bij de bot",
      status_cancelled: "Gestopt met wachten",
      status_answered: "Beantwoord",

      // conversation
      conversationLabel: "Gesprek",
      pickConversation: "Kies een gesprek uit de wachtrij",
      pickConversationHint: "Klik op een gesprek om het te bekijken, of op ‘Oppakken’ om het over te nemen.",
      loadingConversation: "Gesprek laden…",
      customer: "Klant",
      bot: "Bot",
      agentFallback: "Medewerker",
      you: "jij",
      system: "Systeem",
      ticketMessage: "Achtergelaten bericht",
      waitedFor: "wacht {time}",
      newMessages: "Nieuwe berichten",
      noTranscript: "Nog geen berichten in dit gesprek.",
      today: "Vandaag",
      yesterday: "Gisteren",
      image: "Afbeelding",
      openImage: "Afbeelding openen",
      buttonsShown: "Knoppen:",
      opensNewTab: "(opent in een nieuw tabblad)",
      sending: "Wordt verstuurd…",
      msgstatus_queued: "In de wachtrij",
      msgstatus_pending: "Wordt verstuurd…",
      msgstatus_sent: "Verstuurd",
      msgstatus_delivered: "Afgeleverd",
      msgstatus_read: "Gelezen",
      msgstatus_failed: "Niet afgeleverd",
      msgstatus_undelivered: "Niet afgeleverd",
      handback: "Terug naar de bot",
      resolve: "Afronden",
      confirmResolve: "Dit gesprek afronden? De bot vraagt de klant daarna om een beoordeling.",
      confirmHandback: "Het gesprek teruggeven aan de bot?",
      resolved: "Gesprek afgerond.",
      handedBack: "Gesprek is terug bij de bot.",
      windowTemplate: "Buiten het 24-uursvenster: je antwoord gaat als goedgekeurde template",
      windowNoTemplate: "Buiten het 24-uursvenster van WhatsApp: een antwoord kan alleen via een ander kanaal",
      replyLabel: "Antwoord aan de klant",
      replyPlaceholder: "Typ je antwoord… (Enter verstuurt, Shift+Enter voor een nieuwe regel)",
      send: "Verstuur",
      canned: "Standaardantwoord invoegen…",
      cannedLabel: "Standaardantwoord",
      cannedIn: "wordt ingevoegd in het {lang}",
      langName_nl: "Nederlands",
      langName_en: "Engels",
      charsLeft: "{n} tekens over",
      noteLabel: "Interne notitie — niet zichtbaar voor de klant",
      notePlaceholder: "Notitie voor collega's…",
      noteSave: "Notitie opslaan",
      noteHint: "Ctrl+Enter slaat op",
      noteTag: "Interne notitie",
      noteSaved: "Notitie opgeslagen.",
      readOnlyClaim: "Pak dit gesprek op om te kunnen antwoorden.",
      readOnlyOther: "Alleen de toegewezen medewerker kan antwoorden en notities maken.",
      readOnlyClosed: "Dit gesprek is gesloten.",
      claimThis: "Gesprek oppakken",

      // errors
      errTaken: "Een collega heeft dit gesprek al opgepakt",
      errForbidden: "Dat mag alleen een supervisor.",
      errNotFound: "Dit gesprek bestaat niet (meer).",
      errNotYours: "Dit gesprek is niet (meer) aan jou toegewezen.",
      errTooLong: "Een bericht is maximaal {n} tekens.",
      errEmpty: "Het bericht is leeg.",
      errReply: "Je antwoord is niet verstuurd.",
      errNote: "De notitie is niet opgeslagen.",
      errAssign: "Toewijzen is niet gelukt.",
      errLoad: "Het gesprek kon niet worden geladen.",
      errQueue: "De wachtrij kon niet worden bijgewerkt.",
      dismiss: "Melding sluiten",
      assigned: "Gesprek toegewezen aan {name}.",

      // context
      contextLabel: "Klantcontext",
      contextEmpty: "Hier zie je wat we van de klant weten zodra je een gesprek opent.",
      ctxCustomer: "Klant",
      ctxIdentity: "Identiteit",
      ctxBot: "Wat de bot al weet",
      ctxOrders: "Bestellingen",
      ctxTimeline: "Contactgeschiedenis (alle kanalen)",
      ctxSurveys: "Eerdere beoordelingen",
      ctxConsents: "Toestemmingen",
      ctxNotices: "Vertragingsberichten",
      noNotices: "Geen vertragingsberichten gestuurd.",
      voucherUntil: "geldig t/m {date}",
      notice_first: "Vertraging gemeld",
      notice_update: "Nieuwe datum",
      notice_arrived: "Bezorgd gemeld",
      noticeOutcome_announced: "naar de klant",
      noticeOutcome_to_agent: "als notitie naar de medewerker",
      noticeOutcome_refused: "geweigerd",
      reason_carrier_delay: "Reden: drukte bij de vervoerder",
      reason_weather: "Reden: het weer",
      reason_warehouse: "Reden: magazijn",
      reason_no_scan: "Reden: geen scan van de vervoerder",
      reason_missed_date: "Reden: beloofde datum verstreken",
      ref: "Klantnummer",
      language: "Taal",
      email: "E-mail",
      phone: "Telefoon",
      anonymousNote: "Niet geverifieerd: deel geen bestel- of adresgegevens.",
      verified: "Geverifieerd",
      notVerified: "Niet geverifieerd",
      verifiedVia: "via {method}",
      method_web_token: "ingelogd op de website",
      method_order_postcode: "bestelnummer + postcode",
      method_whatsapp_phone: "WhatsApp-nummer",
      method_telegram_contact: "gedeeld telefoonnummer",
      method_telegram_deeplink: "koppellink",
      noIdentities: "Geen gekoppelde kanalen.",
      intents: "Herkende bedoelingen",
      slots: "Gegevens uit het gesprek",
      lastBotMessage: "Laatste bericht aan de bot",
      noBotInfo: "De bot heeft nog niets vastgelegd.",
      noOrders: "Geen bestellingen.",
      placedOn: "Besteld {date}",
      total: "Totaal",
      articles: "{n} artikelen",
      article: "1 artikel",
      delayed: "Vertraagd",
      late: "Vertraagd",
      promised: "Beloofd",
      eta: "Nieuwe verwachting",
      expected: "Verwacht",
      track: "Volgen",
      noShipments: "Nog niet verzonden.",
      noTimeline: "Geen eerdere contacten.",
      noSurveys: "Nog geen beoordelingen.",
      noConsents: "Geen toestemmingen vastgelegd.",
      granted: "ja",
      refused: "nee",
      surveyBy: "na gesprek met {name}",
      moreOrders: "{n} oudere bestellingen",
      moreOrder: "1 oudere bestelling",

      order_paid: "Betaald",
      order_processing: "In behandeling",
      order_shipped: "Verzonden",
      order_out_for_delivery: "Wordt bezorgd",
      order_delivered: "Bezorgd",
      order_delayed: "Vertraagd",
      order_cancelled: "Geannuleerd",
      order_returned: "Geretourneerd",
      ship_announced: "Aangemeld",
      ship_in_transit: "Onderweg",
      ship_out_for_delivery: "Wordt vandaag bezorgd",
      ship_delivered: "Bezorgd",
      ship_delayed: "Vertraagd",
      ship_returned_to_sender: "Retour afzender",

      purpose_service: "Service",
      purpose_marketing: "Marketing",
      purpose_surveys: "Enquêtes",
      purpose_newsletter: "Nieuwsbrief",
      channel_email: "E-mail",
      channel_sms: "SMS",
      channel_phone: "Telefoon",

      // time
      durSeconds: "{s} s",
      durMinutes: "{m} min",
      durHours: "{h} u {m} min",
      durDays: "{d} d",
      justNow: "zojuist"
    },
    en: {
      appName: "Klantreis",
      consoleName: "Customer service console",
      langButton: "NL",
      langLabel: "Schakel naar Nederlands",
      genericError: "Something went wrong. Please try again.",
      networkError: "Cannot reach the server. Please try again.",

      loginTitle: "Sign in",
      loginIntro: "Sign in with your agent account.",
      username: "Username",
      password: "Password",
      showPassword: "Show password",
      hidePassword: "Hide password",
      loginSubmit: "Sign in",
      loggingIn: "Signing in…",
      loginInvalid: "Unknown username or wrong password",
      loginTooMany: "Too many attempts, please try again in a minute",
      loginMissing: "Enter your username and password",
      loginFooter: "For customer service staff only.",

      logout: "Sign out",
      live: "Live",
      connecting: "Connecting…",
      offline: "Offline — reconnecting…",
      roleSupervisor: "Supervisor",
      roleAgent: "Agent",

      queueLabel: "Queue",
      secMine: "My conversations",
      secWaiting: "Waiting",
      secTickets: "Messages (tickets)",
      secOthers: "With colleagues",
      secTeam: "Team",
      emptyMine: "You have no open conversations.",
      emptyWaiting: "Nobody is waiting.",
      emptyTickets: "No messages left.",
      emptyOthers: "Colleagues have no open conversations.",
      claim: "Claim",
      claiming: "Claiming…",
      reassign: "Assign…",
      reassignLabel: "Assign the conversation to a colleague",
      current: "current",
      offlineAgent: "offline",
      online: "online",
      anonymous: "Anonymous customer",
      urgent: "Urgent",
      low: "Low",
      unread: "New message",
      withAgent: "With {name}",
      withYou: "With you",
      ticketOwner: "Claimed by {name}",
      noMessage: "No message yet",

      reason_explicit: "Asked for an agent",
      reason_complaint: "Complaint",
      reason_fallback: "Bot did not understand",
      reason_verification: "Verification failed",
      reason_act: "Damaged item",
      reason_message: "Left a message",
      reason_timeout: "Wait time expired",

      status_waiting: "Waiting",
      status_assigned: "In progress",
      status_ticket: "Message (ticket)",
      status_resolved: "Resolved",
      status_returned: "Back with the bot",
      status_cancelled: "Stopped waiting",
      status_answered: "Answered",

      conversationLabel: "Conversation",
      pickConversation: "Pick a conversation from the queue",
      pickConversationHint: "Click a conversation to view it, or ‘Claim’ to take it over.",
      loadingConversation: "Loading conversation…",
      customer: "Customer",
      bot: "Bot",
      agentFallback: "Agent",
      you: "you",
      system: "System",
      ticketMessage: "Message left",
      waitedFor: "waiting {time}",
      newMessages: "New messages",
      noTranscript: "No messages in this conversation yet.",
      today: "Today",
      yesterday: "Yesterday",
      image: "Image",
      openImage: "Open image",
      buttonsShown: "Buttons:",
      opensNewTab: "(opens in a new tab)",
      sending: "Sending…",
      msgstatus_queued: "Queued",
      msgstatus_pending: "Sending…",
      msgstatus_sent: "Sent",
      msgstatus_delivered: "Delivered",
      msgstatus_read: "Read",
      msgstatus_failed: "Not delivered",
      msgstatus_undelivered: "Not delivered",
      handback: "Back to the bot",
      resolve: "Resolve",
      confirmResolve: "Resolve this conversation? The bot will then ask the customer for a rating.",
      confirmHandback: "Hand the conversation back to the bot?",
      resolved: "Conversation resolved.",
      handedBack: "The conversation is back with the bot.",
      windowTemplate: "Outside the 24-hour window: your reply is sent as an approved template",
      windowNoTemplate: "Outside the WhatsApp 24-hour window: a reply is only possible on another channel",
      replyLabel: "Reply to the customer",
      replyPlaceholder: "Type your reply… (Enter sends, Shift+Enter for a new line)",
      send: "Send",
      canned: "Insert a canned response…",
      cannedLabel: "Canned response",
      cannedIn: "inserted in {lang}",
      langName_nl: "Dutch",
      langName_en: "English",
      charsLeft: "{n} characters left",
      noteLabel: "Internal note — not visible to the customer",
      notePlaceholder: "Note for colleagues…",
      noteSave: "Save note",
      noteHint: "Ctrl+Enter saves",
      noteTag: "Internal note",
      noteSaved: "Note saved.",
      readOnlyClaim: "Claim this conversation to reply.",
      readOnlyOther: "Only the assigned agent can reply and write notes.",
      readOnlyClosed: "This conversation is closed.",
      claimThis: "Claim conversation",

      errTaken: "A colleague already claimed this conversation",
      errForbidden: "Only a supervisor can do that.",
      errNotFound: "This conversation does not exist (any more).",
      errNotYours: "This conversation is not (or no longer) assigned to you.",
      errTooLong: "A message is at most {n} characters.",
      errEmpty: "The message is empty.",
      errReply: "Your reply was not sent.",
      errNote: "The note was not saved.",
      errAssign: "Assigning did not work.",
      errLoad: "The conversation could not be loaded.",
      errQueue: "The queue could not be updated.",
      dismiss: "Dismiss",
      assigned: "Conversation assigned to {name}.",

      contextLabel: "Customer context",
      contextEmpty: "What we know about the customer appears here once you open a conversation.",
      ctxCustomer: "Customer",
      ctxIdentity: "Identity",
      ctxBot: "What the bot already knows",
      ctxOrders: "Orders",
      ctxTimeline: "Contact history (all channels)",
      ctxSurveys: "Previous ratings",
      ctxConsents: "Consents",
      ctxNotices: "Delay notices",
      noNotices: "No delay notices sent.",
      voucherUntil: "valid until {date}",
      notice_first: "Delay announced",
      notice_update: "New date",
      notice_arrived: "Delivery announced",
      noticeOutcome_announced: "to the customer",
      noticeOutcome_to_agent: "as a note to the agent",
      noticeOutcome_refused: "refused",
      reason_carrier_delay: "Reason: carrier busy",
      reason_weather: "Reason: weather",
      reason_warehouse: "Reason: warehouse",
      reason_no_scan: "Reason: no carrier scan",
      reason_missed_date: "Reason: promised date passed",
      ref: "Customer number",
      language: "Language",
      email: "Email",
      phone: "Phone",
      anonymousNote: "Not verified: do not share order or address details.",
      verified: "Verified",
      notVerified: "Not verified",
      verifiedVia: "via {method}",
      method_web_token: "logged in on the website",
      method_order_postcode: "order number + postcode",
      method_whatsapp_phone: "WhatsApp number",
      method_telegram_contact: "shared phone number",
      method_telegram_deeplink: "account link",
      noIdentities: "No linked channels.",
      intents: "Recognised intents",
      slots: "Details from the conversation",
      lastBotMessage: "Last message to the bot",
      noBotInfo: "The bot has not recorded anything yet.",
      noOrders: "No orders.",
      placedOn: "Ordered {date}",
      total: "Total",
      articles: "{n} items",
      article: "1 item",
      delayed: "Delayed",
      late: "Delayed",
      promised: "Promised",
      eta: "New estimate",
      expected: "Expected",
      track: "Track",
      noShipments: "Not shipped yet.",
      noTimeline: "No earlier contacts.",
      noSurveys: "No ratings yet.",
      noConsents: "No consents recorded.",
      granted: "yes",
      refused: "no",
      surveyBy: "after a conversation with {name}",
      moreOrders: "{n} older orders",
      moreOrder: "1 older order",

      order_paid: "Paid",
      order_processing: "Processing",
      order_shipped: "Shipped",
      order_out_for_delivery: "Out for delivery",
      order_delivered: "Delivered",
      order_delayed: "Delayed",
      order_cancelled: "Cancelled",
      order_returned: "Returned",
      ship_announced: "Announced",
      ship_in_transit: "In transit",
      ship_out_for_delivery: "Out for delivery",
      ship_delivered: "Delivered",
      ship_delayed: "Delayed",
      ship_returned_to_sender: "Returned to sender",

      purpose_service: "Service",
      purpose_marketing: "Marketing",
      purpose_surveys: "Surveys",
      purpose_newsletter: "Newsletter",
      channel_email: "Email",
      channel_sms: "SMS",
      channel_phone: "Phone",

      durSeconds: "{s} s",
      durMinutes: "{m} min",
      durHours: "{h} h {m} min",
      durDays: "{d} d",
      justNow: "just now"
    }
  };

  function norm(lang) {
    return String(lang || "").toLowerCase().slice(0, 2) === "en" ? "en" : "nl";
  }

  function stored() {
    try {
      var value = window.localStorage.getItem(STORAGE_KEY);
      return value === "nl" || value === "en" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function store(lang) {
    try {
      window.localStorage.setItem(STORAGE_KEY, norm(lang));
    } catch (e) {
      /* storage disabled: the choice lasts for this page view */
    }
  }

  function fill(template, values) {
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  /** The text for key in lang, with {placeholders} filled; the key itself if there is none. */
  function t(lang, key, values) {
    var table = TEXT[norm(lang)];
    var text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : TEXT.nl[key];
    return fill(text === undefined ? key : text, values);
  }

  /** Whether there is a text for key (to fall back to the raw value for unknown codes). */
  function has(key) {
    return Object.prototype.hasOwnProperty.call(TEXT.nl, key);
  }

  /** Fill every [data-i18n] (textContent), [data-i18n-placeholder], [data-i18n-aria-label]. */
  function apply(root, lang) {
    root.documentElement.lang = norm(lang);
    var nodes = root.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(lang, nodes[i].getAttribute("data-i18n"));
    }
    var attrs = ["placeholder", "aria-label", "title"];
    for (var a = 0; a < attrs.length; a++) {
      var marked = root.querySelectorAll("[data-i18n-" + attrs[a] + "]");
      for (var j = 0; j < marked.length; j++) {
        marked[j].setAttribute(attrs[a], t(lang, marked[j].getAttribute("data-i18n-" + attrs[a])));
      }
    }
  }

  window.KlantreisAgentI18n = {
    norm: norm,
    stored: stored,
    store: store,
    t: t,
    has: has,
    apply: apply
  };
})(window);
