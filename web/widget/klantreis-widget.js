/*!
 * Klantreis web chat widget. Plain JavaScript, no build step, no dependencies besides the
 * socket.io v4 client (window.io), which it loads from the bot itself when the page has not.
 *
 * Embed:
 *   <link rel="stylesheet" href="https://bot.example.nl/webhooks/web/static/klantreis-widget.css">
 *   <script src="https://bot.example.nl/webhooks/web/static/socket.io.min.js"></script>
 *   <script src="https://bot.example.nl/webhooks/web/static/klantreis-widget.js"
 *           data-language="nl" data-customer-token="…" data-title="Klantenservice"></script>
 *
 * data-server defaults to where the script came from; data-auto-mount="false" leaves mounting
 * to the page: KlantreisWidget.mount({server, language, customerToken, title}).
 *
 * Security: message text is only ever put in the page with textContent / text nodes; links are
 * built as <a> elements and only for http(s) URLs.
 */
(function (window, document) {
  "use strict";

  if (window.KlantreisWidget && window.KlantreisWidget.version) {
    return; // loaded twice: keep the first copy (and its mounted instance)
  }

  var VERSION = "1.0.0";
  var SESSION_KEY = "klantreis.session"; // localStorage: shared by reloads and tabs
  var OPEN_KEY = "klantreis.open"; // sessionStorage: per tab
  var QUEUE_KEY = "klantreis.queue"; // sessionStorage: unsent messages survive a reload
  var STATIC_PATH = "/webhooks/web/static/";
  var MAX_LENGTH = 2000;
  var COUNTER_FROM = 1800;
  var TYPING_TIMEOUT_MS = 8000;
  var HISTORY_WAIT_MS = 1500; // servers without klantreis_history: stop waiting after this
  var SOCKET_IO_WAIT_MS = 3000;
  var NEAR_BOTTOM_PX = 96;

  var TEXT = {
    nl: {
      title: "Klantenservice",
      launcher: "Chat met ons",
      closeChat: "Chat sluiten",
      close: "Sluiten",
      placeholder: "Typ je bericht…",
      inputLabel: "Je bericht",
      inputHint: "Enter verstuurt, Shift+Enter geeft een nieuwe regel.",
      send: "Verstuur",
      connecting: "Verbinden…",
      connected: "Online, we reageren direct",
      disconnected: "Verbinding verbroken, opnieuw verbinden…",
      typing: "{name} is aan het typen…",
      welcome: "Hoi! Waarmee kan ik je helpen?",
      you: "Jij",
      agentRole: "klantenservice",
      agentFallback: "Medewerker",
      system: "Melding",
      image: "Afbeelding",
      conversation: "Gesprek",
      pending: "Wordt verstuurd zodra de verbinding terug is",
      charsLeft: "Nog {n} tekens",
      charsMax: "Maximaal {n} tekens bereikt",
      unread: "{n} nieuw",
      langButton: "EN",
      langLabel: "Switch to English",
      opensNewTab: "(opent in een nieuw tabblad)"
    },
    en: {
      title: "Customer service",
      launcher: "Chat with us",
      closeChat: "Close chat",
      close: "Close",
      placeholder: "Type your message…",
      inputLabel: "Your message",
      inputHint: "Enter sends, Shift+Enter starts a new line.",
      send: "Send",
      connecting: "Connecting…",
      connected: "Online, we reply right away",
      disconnected: "Connection lost, reconnecting…",
      typing: "{name} is typing…",
      welcome: "Hi! How can I help?",
      you: "You",
      agentRole: "customer service",
      agentFallback: "Agent",
      system: "Notice",
      image: "Image",
      conversation: "Conversation",
      pending: "Will be sent when the connection is back",
      charsLeft: "{n} characters left",
      charsMax: "Maximum of {n} characters reached",
      unread: "{n} new",
      langButton: "NL",
      langLabel: "Schakel naar Nederlands",
      opensNewTab: "(opens in a new tab)"
    }
  };

  // ---------------------------------------------------------------- small helpers

  function messageId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    var id = "";
    for (var j = 0; j < bytes.length; j++) id += (bytes[j] < 16 ? "0" : "") + bytes[j].toString(16);
    return id;
  }

  function normLanguage(lang) {
    return String(lang || "").toLowerCase().slice(0, 2) === "en" ? "en" : "nl";
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (attrs) {
      for (var name in attrs) {
        if (Object.prototype.hasOwnProperty.call(attrs, name) && attrs[name] != null) {
          node.setAttribute(name, attrs[name]);
        }
      }
    }
    return node;
  }

  // Icons: web/shared/icons.js, served in front of this file as one script.
  function icon(name, className) {
    return window.KlantreisIcons.icon(name, "kr-icon", className);
  }

  function storageGet(store, key) {
    try {
      return window[store].getItem(key);
    } catch (e) {
      return null; // storage disabled (private mode, sandboxed iframe)
    }
  }

  function storageSet(store, key, value) {
    try {
      if (value == null) window[store].removeItem(key);
      else window[store].setItem(key, value);
    } catch (e) {
      /* storage disabled: the widget still works for this page view */
    }
  }

  function safeUrl(raw, base) {
    try {
      var url = new URL(String(raw), base || window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  var URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  /** Split a URL match from trailing punctuation that belongs to the sentence. */
  function trimUrl(candidate) {
    var url = candidate;
    for (;;) {
      var last = url.charAt(url.length - 1);
      if (/[.,;:!?'"»]/.test(last)) {
        url = url.slice(0, -1);
      } else if (last === ")" && url.split("(").length < url.split(")").length) {
        url = url.slice(0, -1);
      } else if (last === "]" && url.split("[").length < url.split("]").length) {
        url = url.slice(0, -1);
      } else {
        return url;
      }
    }
  }

  /** Append text to parent as text nodes, with http(s) URLs as safe links when linkify. */
  function appendText(parent, text, linkify, opensNewTabText) {
    text = String(text);
    if (!linkify) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    var position = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var url = trimUrl(match[0]);
      var href = safeUrl(url);
      if (!href || url.length < 10) continue;
      if (match.index > position) {
        parent.appendChild(document.createTextNode(text.slice(position, match.index)));
      }
      var link = el("a", "kr-link", { target: "_blank", rel: "noopener noreferrer" });
      link.href = href;
      link.textContent = url;
      if (opensNewTabText) link.title = opensNewTabText;
      parent.appendChild(link);
      position = match.index + url.length;
      URL_PATTERN.lastIndex = position;
    }
    if (position < text.length) parent.appendChild(document.createTextNode(text.slice(position)));
  }

  function normalizeButtons(list) {
    var out = [];
    if (!Array.isArray(list)) return out;
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (!b || typeof b !== "object") continue;
      var title = b.title != null ? String(b.title) : "";
      var payload = b.payload != null ? String(b.payload) : title;
      if (!title && !payload) continue;
      out.push({ title: title || payload, payload: payload || title });
    }
    return out;
  }

  /**
   * Product cards from klantreis_meta / the transcript: {intro, cards: [{sku, name, price,
   * rating_text, stock_text, reason, in_stock, image, url, buttons}]}; reason is why it is shown
   * (a search's fit, a suggestion's review snippet). Only strings are kept; they are
   * shown as text, and links and pictures only as http(s) URLs (see renderCards).
   */
  function normalizeCards(data) {
    if (!data || typeof data !== "object" || !Array.isArray(data.cards)) return null;
    var cards = [];
    for (var i = 0; i < data.cards.length && cards.length < 10; i++) {
      var c = data.cards[i];
      if (!c || typeof c !== "object" || typeof c.name !== "string" || !c.name) continue;
      var card = { buttons: normalizeButtons(c.buttons), inStock: c.in_stock !== false };
      ["sku", "name", "price", "rating_text", "stock_text", "reason", "image", "url"].forEach(function (key) {
        card[key] = typeof c[key] === "string" ? c[key] : "";
      });
      cards.push(card);
    }
    if (!cards.length) return null;
    return { intro: typeof data.intro === "string" ? data.intro : "", cards: cards };
  }

  /** The title of a card button with this payload, in any earlier message's cards. */
  function cardButtonTitle(items, text) {
    for (var i = items.length - 1; i >= 0; i--) {
      var cards = items[i].cards;
      if (!cards) continue;
      for (var j = 0; j < cards.cards.length; j++) {
        var buttons = cards.cards[j].buttons;
        for (var k = 0; k < buttons.length; k++) if (buttons[k].payload === text) return buttons[k].title;
      }
    }
    return null;
  }

  /**
   * A button press reaches the server (and so the transcript and other tabs) as its payload,
   * e.g. '/product_question{"product": "TP-RUN-001"}'. Show the title of the matching button
   * of the latest message with buttons instead, as in the tab where it was pressed.
   */
  function buttonTitleFor(items, text) {
    var fromCard = cardButtonTitle(items, text); // a card's buttons stay usable later on
    if (fromCard) return fromCard;
    for (var i = items.length - 1; i >= 0; i--) {
      if (items[i].author === "customer") return text; // those buttons were already answered
      var buttons = items[i].buttons;
      if (!buttons || !buttons.length) continue;
      for (var j = 0; j < buttons.length; j++) {
        if (buttons[j].payload === text) {
          buttons[j].chosen = true;
          return buttons[j].title;
        }
      }
      return text;
    }
    return text;
  }

  function parseTime(value) {
    if (!value) return null;
    var date = new Date(value);
    return isNaN(date.getTime()) ? null : date;
  }

  /** Where the widget script was served from: default for data-server. */
  function serverFromScript(script) {
    if (!script || !script.src) return null;
    try {
      var url = new URL(script.src, window.location.href);
      var idx = url.pathname.indexOf(STATIC_PATH);
      var prefix = idx >= 0 ? url.pathname.slice(0, idx) : "";
      return url.origin + prefix;
    } catch (e) {
      return null;
    }
  }

  var currentScript = document.currentScript;
  var scriptServer = serverFromScript(currentScript);

  // ---------------------------------------------------------------- socket.io loading

  var ioWaiters = null;

  /** Call back with window.io: wait briefly for the page's copy, else load the bot's own. */
  function withSocketIo(server, callback) {
    if (typeof window.io === "function") {
      callback(null, window.io);
      return;
    }
    if (ioWaiters) {
      ioWaiters.push(callback);
      return;
    }
    ioWaiters = [callback];
    var done = function (err) {
      var waiters = ioWaiters || [];
      ioWaiters = null;
      for (var i = 0; i < waiters.length; i++) waiters[i](err, window.io);
    };
    // a socket.io <script> the page has but that has not run yet gets a moment to load
    var pageHasIt = false;
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      if (/socket\.io(\.min)?\.js/.test(scripts[i].src || "")) pageHasIt = true;
    }
    var started = Date.now();
    var wait = pageHasIt ? SOCKET_IO_WAIT_MS : 0;
    var poll = window.setInterval(function () {
      if (typeof window.io === "function") {
        window.clearInterval(poll);
        done(null);
      } else if (Date.now() - started >= wait) {
        window.clearInterval(poll);
        var script = document.createElement("script");
        script.src = server + STATIC_PATH + "socket.io.min.js";
        script.async = true;
        script.onload = function () {
          done(typeof window.io === "function" ? null : new Error("socket.io did not load"));
        };
        script.onerror = function () {
          done(new Error("socket.io could not be loaded from " + script.src));
        };
        (document.head || document.documentElement).appendChild(script);
      }
    }, 50);
  }

  // ---------------------------------------------------------------- the widget

  var uid = 0;

  function Widget(options) {
    uid += 1;
    this.id = "kr" + uid;
    this.server = String(options.server || scriptServer || window.location.origin).replace(/\/+$/, "");
    this.language = normLanguage(options.language);
    this.customerToken = options.customerToken ? String(options.customerToken) : null;
    this.customTitle = options.title ? String(options.title) : null;
    this.botName = options.botName ? String(options.botName) : "Klantreis";
    this.sessionId = null; // confirmed on the current connection
    this.requestedSession = options.newSession ? null : storageGet("localStorage", SESSION_KEY);
    this.state = "connecting";
    this.ready = false; // session confirmed and history applied: messages go straight out
    this.historyKnown = !this.requestedSession; // nothing to load for a brand-new session
    this.items = []; // {author, text, buttons, image, agentName, at, pending, entry, buttonsDone, node}
    this.queue = this.loadQueue();
    this.unacked = []; // sent, not yet acknowledged by the server: sent again after a reconnect
    this.unread = 0;
    this.timers = {};
    this.socket = null;
    this.destroyed = false;

    for (var i = 0; i < this.queue.length; i++) {
      this.items.push(this.queuedItem(this.queue[i]));
    }
    this.build();
    this.applyLanguage();
    this.renderAll();
    this.setState("connecting");
    var wantOpen = options.open != null ? !!options.open : storageGet("sessionStorage", OPEN_KEY) === "1";
    this.setOpen(wantOpen, false);
    this.connect();
  }

  Widget.prototype.t = function (key, values) {
    var text = TEXT[this.language][key];
    return values ? fmt(text, values) : text;
  };

  // ---- DOM

  Widget.prototype.build = function () {
    var self = this;
    var root = (this.root = el("div", "kr-root"));

    var launcher = (this.launcher = el("button", "kr-launcher", {
      type: "button",
      "data-testid": "kr-launcher",
      "aria-controls": this.id + "-panel",
      "aria-expanded": "false"
    }));
    launcher.appendChild(icon("chat", "kr-launcher-icon kr-launcher-icon--chat"));
    launcher.appendChild(icon("close", "kr-launcher-icon kr-launcher-icon--close"));
    this.launcherLabel = el("span", "kr-launcher-label");
    launcher.appendChild(this.launcherLabel);
    this.badge = el("span", "kr-badge", { hidden: "" });
    launcher.appendChild(this.badge);
    launcher.addEventListener("click", function () {
      self.setOpen(!self.isOpen, true);
    });

    var panel = (this.panel = el("section", "kr-panel", {
      id: this.id + "-panel",
      "data-testid": "kr-panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": this.id + "-title",
      hidden: ""
    }));

    // header
    var header = el("header", "kr-header");
    var avatar = el("span", "kr-avatar", { "aria-hidden": "true" });
    avatar.appendChild(icon("chat"));
    header.appendChild(avatar);
    var heading = el("div", "kr-heading");
    this.titleEl = el("h2", "kr-title", { id: this.id + "-title" });
    heading.appendChild(this.titleEl);
    this.statusEl = el("p", "kr-status", { "data-testid": "kr-status", role: "status" });
    this.statusDot = el("span", "kr-status-dot", { "aria-hidden": "true" });
    this.statusText = el("span", "kr-status-text");
    this.statusEl.appendChild(this.statusDot);
    this.statusEl.appendChild(this.statusText);
    heading.appendChild(this.statusEl);
    header.appendChild(heading);
    this.langButton = el("button", "kr-header-button kr-lang", { type: "button", "data-testid": "kr-lang" });
    this.langButton.addEventListener("click", function () {
      self.setLanguage(self.language === "nl" ? "en" : "nl", "widget");
    });
    header.appendChild(this.langButton);
    this.closeButton = el("button", "kr-header-button kr-close", { type: "button" });
    this.closeButton.appendChild(icon("close"));
    this.closeButton.addEventListener("click", function () {
      self.setOpen(false, true);
    });
    header.appendChild(this.closeButton);
    panel.appendChild(header);

    // conversation
    var body = (this.body = el("div", "kr-body"));
    this.welcome = el("div", "kr-msg kr-msg--bot kr-welcome", { "data-testid": "kr-welcome" });
    this.welcomeBubble = el("div", "kr-bubble");
    this.welcome.appendChild(this.welcomeBubble);
    body.appendChild(this.welcome);
    this.list = el("ol", "kr-messages", { role: "log", "aria-live": "polite", "aria-relevant": "additions" });
    body.appendChild(this.list);
    this.typing = el("div", "kr-typing", { "data-testid": "kr-typing", hidden: "" });
    var dots = el("span", "kr-typing-dots", { "aria-hidden": "true" });
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    dots.appendChild(el("span"));
    this.typing.appendChild(dots);
    this.typingText = el("span", "kr-typing-text");
    this.typing.appendChild(this.typingText);
    body.appendChild(this.typing);
    panel.appendChild(body);

    // composer
    var form = (this.form = el("form", "kr-composer", { novalidate: "" }));
    this.inputLabel = el("label", "kr-sr-only", { for: this.id + "-input" });
    form.appendChild(this.inputLabel);
    this.hint = el("span", "kr-sr-only", { id: this.id + "-hint" });
    form.appendChild(this.hint);
    var row = el("div", "kr-composer-row");
    this.input = el("textarea", "kr-input", {
      id: this.id + "-input",
      "data-testid": "kr-input",
      rows: "1",
      maxlength: String(MAX_LENGTH),
      autocomplete: "off",
      "aria-describedby": this.id + "-hint " + this.id + "-counter"
    });
    row.appendChild(this.input);
    this.sendButton = el("button", "kr-send", { type: "submit", "data-testid": "kr-send" });
    this.sendButton.appendChild(icon("send"));
    this.sendLabel = el("span", "kr-sr-only");
    this.sendButton.appendChild(this.sendLabel);
    row.appendChild(this.sendButton);
    form.appendChild(row);
    this.counter = el("div", "kr-counter", { id: this.id + "-counter", hidden: "" });
    form.appendChild(this.counter);
    panel.appendChild(form);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitInput();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        self.submitInput();
      }
    });
    this.input.addEventListener("input", function () {
      self.updateCounter();
      self.autoGrow();
    });
    root.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && self.isOpen) {
        event.preventDefault();
        self.setOpen(false, true);
      }
    });

    root.appendChild(panel);
    root.appendChild(launcher);
    (document.body || document.documentElement).appendChild(root);
  };

  Widget.prototype.applyLanguage = function () {
    var title = this.customTitle || this.t("title");
    this.root.setAttribute("lang", this.language);
    this.root.setAttribute("data-language", this.language);
    this.titleEl.textContent = title;
    this.launcherLabel.textContent = this.t("launcher");
    this.launcher.setAttribute("aria-label", this.isOpen ? this.t("closeChat") : this.t("launcher"));
    this.closeButton.setAttribute("aria-label", this.t("close"));
    this.closeButton.title = this.t("close");
    this.langButton.textContent = this.t("langButton");
    this.langButton.setAttribute("aria-label", this.t("langLabel"));
    this.langButton.title = this.t("langLabel");
    this.list.setAttribute("aria-label", this.t("conversation"));
    this.inputLabel.textContent = this.t("inputLabel");
    this.hint.textContent = this.t("inputHint");
    this.input.setAttribute("placeholder", this.t("placeholder"));
    this.sendLabel.textContent = this.t("send");
    this.sendButton.setAttribute("aria-label", this.t("send"));
    this.sendButton.title = this.t("send");
    this.welcomeBubble.textContent = this.t("welcome");
    this.typingText.textContent = this.t("typing", { name: this.botName });
    this.updateStatusText();
    this.updateCounter();
    this.updateBadge();
  };

  Widget.prototype.setLanguage = function (lang, source) {
    lang = normLanguage(lang);
    if (lang === this.language) return;
    this.language = lang;
    this.applyLanguage();
    this.renderAll(true);
    try {
      window.dispatchEvent(
        new CustomEvent("klantreis:languagechange", { detail: { language: lang, source: source || "api" } })
      );
    } catch (e) {
      /* very old browsers: no CustomEvent constructor */
    }
  };

  // ---- open / close

  Widget.prototype.setOpen = function (open, byUser) {
    this.isOpen = !!open;
    storageSet("sessionStorage", OPEN_KEY, this.isOpen ? "1" : "0");
    this.root.classList.toggle("kr-is-open", this.isOpen);
    document.documentElement.classList.toggle("kr-panel-open", this.isOpen);
    if (this.isOpen) this.panel.removeAttribute("hidden");
    else this.panel.setAttribute("hidden", "");
    this.launcher.setAttribute("aria-expanded", this.isOpen ? "true" : "false");
    this.launcher.setAttribute("aria-label", this.isOpen ? this.t("closeChat") : this.t("launcher"));
    if (this.isOpen) {
      this.unread = 0;
      this.updateBadge();
      this.scrollToBottom(true);
      if (byUser) this.focusInput();
    } else if (byUser) {
      this.launcher.focus();
    }
  };

  Widget.prototype.focusInput = function () {
    var input = this.input;
    try {
      input.focus({ preventScroll: true });
    } catch (e) {
      input.focus();
    }
  };

  Widget.prototype.updateBadge = function () {
    if (this.unread > 0 && !this.isOpen) {
      this.badge.textContent = this.unread > 9 ? "9+" : String(this.unread);
      this.badge.setAttribute("aria-label", this.t("unread", { n: this.unread }));
      this.badge.removeAttribute("hidden");
    } else {
      this.badge.setAttribute("hidden", "");
      this.badge.textContent = "";
    }
  };

  // ---- connection state

  Widget.prototype.setState = function (state) {
    this.state = state;
    this.statusEl.setAttribute("data-state", state);
    this.root.setAttribute("data-state", state);
    // The shopper may go on typing while the connection is gone (the server restarting, a
    // train going through a tunnel): what they send waits in the queue, marked "will be
    // sent when the connection is back", and goes out once it is.
    if (state === "disconnected") this.hideTyping();
    this.updateStatusText();
  };

  Widget.prototype.updateStatusText = function () {
    this.statusText.textContent = this.t(this.state);
  };

  Widget.prototype.connect = function () {
    var self = this;
    withSocketIo(this.server, function (err, io) {
      if (self.destroyed) return;
      if (err || typeof io !== "function") {
        if (window.console) window.console.error("[klantreis] " + (err ? err.message : "socket.io missing"));
        self.setState("disconnected");
        return;
      }
      var base;
      try {
        base = new URL(self.server, window.location.href);
      } catch (e) {
        if (window.console) window.console.error("[klantreis] invalid server URL: " + self.server);
        self.setState("disconnected");
        return;
      }
      var socket = (self.socket = io(base.origin, {
        path: base.pathname.replace(/\/+$/, "") + "/socket.io",
        transports: ["websocket", "polling"],
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
        timeout: 10000,
        forceNew: true
      }));
      socket.on("connect", function () {
        self.onConnect();
      });
      socket.on("disconnect", function (reason) {
        self.onDisconnect(reason);
      });
      socket.on("connect_error", function () {
        if (!self.socket.active) self.scheduleManualReconnect();
        self.setState("disconnected");
      });
      socket.on("session_confirm", function (data) {
        self.onSessionConfirm(data);
      });
      socket.on("klantreis_history", function (data) {
        self.onHistory(data);
      });
      socket.on("klantreis_meta", function (data) {
        // Who wrote the bot_uttered that comes next (the server keeps bot_uttered in
        // Rasa's exact shapes, so that other Rasa widgets show it too).
        self.pendingMeta = data && typeof data === "object" ? data : null;
      });
      socket.on("bot_uttered", function (data) {
        self.onBotUttered(data);
      });
      socket.on("klantreis_user_echo", function (data) {
        self.onUserEcho(data);
      });
      socket.on("klantreis_notice", function (data) {
        self.onNotice(data);
      });
    });
  };

  Widget.prototype.customData = function () {
    var data = { language: this.language };
    if (this.customerToken) data.customer_token = this.customerToken;
    return data;
  };

  Widget.prototype.onConnect = function () {
    this.ready = false;
    this.sessionId = null;
    this.setState("connecting");
    this.socket.emit("session_request", {
      session_id: this.requestedSession || null,
      customData: this.customData()
    });
  };

  Widget.prototype.onDisconnect = function (reason) {
    this.ready = false;
    this.clearTimer("history");
    this.setState("disconnected");
    // socket.io reconnects by itself, except after the server closed the connection on purpose
    if (reason === "io server disconnect") this.scheduleManualReconnect();
  };

  Widget.prototype.scheduleManualReconnect = function () {
    var self = this;
    this.retries = (this.retries || 0) + 1;
    var delay = Math.min(30000, 1000 * Math.pow(2, Math.min(this.retries, 5)));
    this.setTimer("reconnect", delay, function () {
      if (!self.destroyed && self.socket && !self.socket.connected) self.socket.connect();
    });
  };

  Widget.prototype.onSessionConfirm = function (data) {
    var id = data && typeof data === "object" ? data.session_id : data;
    if (id == null || id === "") return;
    id = String(id);
    this.retries = 0;
    this.sessionId = id;
    this.requestedSession = id;
    storageSet("localStorage", SESSION_KEY, id);
    this.panel.setAttribute("data-session-id", id);
    this.root.setAttribute("data-session-id", id);
    try {
      window.dispatchEvent(new CustomEvent("klantreis:session", { detail: { sessionId: id } }));
    } catch (e) {
      /* ignore */
    }
    var self = this;
    this.setTimer("history", HISTORY_WAIT_MS, function () {
      self.becomeReady();
    });
  };

  Widget.prototype.onHistory = function (data) {
    var messages = data && Array.isArray(data.messages) ? data.messages : [];
    var items = [];
    for (var i = 0; i < messages.length; i++) {
      var item = this.historyItem(messages[i]);
      if (!item) continue;
      if (item.author === "customer") item.text = buttonTitleFor(items, item.text);
      items.push(item);
    }
    // messages not sent yet stay visible after the transcript, still marked as pending
    for (var j = 0; j < this.items.length; j++) {
      if (this.items[j].pending) items.push(this.items[j]);
    }
    this.items = items;
    this.historyKnown = true;
    this.hideTyping();
    this.renderAll(false);
    this.scrollToBottom(true);
    if (this.sessionId) {
      this.clearTimer("history");
      this.becomeReady();
    }
  };

  Widget.prototype.becomeReady = function () {
    if (this.ready || !this.socket || !this.socket.connected || !this.sessionId) return;
    this.ready = true;
    if (!this.historyKnown) {
      this.historyKnown = true;
      this.updateWelcome();
    }
    this.setState("connected");
    this.resendUnacked();
    this.flushQueue();
  };

  Widget.prototype.historyItem = function (m) {
    if (!m || typeof m !== "object") return null;
    var author = m.author;
    if (author !== "customer" && author !== "agent" && author !== "system") author = "bot";
    var text = m.text != null ? String(m.text) : "";
    var image = m.image ? String(m.image) : null;
    var buttons = normalizeButtons(m.buttons);
    var cards = author === "bot" ? normalizeCards(m.product_cards) : null;
    if (!text && !image && !buttons.length) return null;
    return {
      author: author,
      text: text,
      image: image,
      buttons: cards ? [] : buttons,
      cards: cards,
      agentName: m.agent_name ? String(m.agent_name) : null,
      at: parseTime(m.at)
    };
  };

  Widget.prototype.onBotUttered = function (data) {
    if (!data || typeof data !== "object") return;
    this.hideTyping();
    var meta = this.pendingMeta || (data.klantreis && typeof data.klantreis === "object" ? data.klantreis : {});
    this.pendingMeta = null;
    var image = null;
    if (data.attachment && typeof data.attachment === "object") {
      var payload = data.attachment.payload;
      if (data.attachment.type === "image" && payload) image = typeof payload === "string" ? payload : payload.src;
    } else if (typeof data.image === "string") {
      image = data.image;
    }
    var buttons = normalizeButtons(data.quick_replies).concat(normalizeButtons(data.buttons));
    var text = data.text != null ? String(data.text) : "";
    if (!text && !image && !buttons.length) return; // e.g. a custom payload this widget cannot show
    // product cards replace the text's product lines and the plain buttons
    var cards = meta.author !== "agent" ? normalizeCards(meta.product_cards) : null;
    this.addItem({
      author: meta.author === "agent" ? "agent" : "bot",
      agentName: meta.agent_name ? String(meta.agent_name) : null,
      text: text,
      image: image ? String(image) : null,
      buttons: cards ? [] : buttons,
      cards: cards,
      at: new Date()
    });
    if (!this.isOpen) {
      this.unread += 1;
      this.updateBadge();
    }
  };

  Widget.prototype.onUserEcho = function (data) {
    var text = data && data.text != null ? String(data.text) : "";
    if (!text) return;
    this.addItem({ author: "customer", text: buttonTitleFor(this.items, text), buttons: [], at: new Date() });
    this.showTyping();
  };

  Widget.prototype.onNotice = function (data) {
    var text = data && data.text != null ? String(data.text) : "";
    if (!text) return;
    this.addItem({ author: "system", text: text, buttons: [], at: new Date() });
  };

  // ---- sending

  Widget.prototype.submitInput = function () {
    var text = this.input.value.replace(/^\s+|\s+$/g, "");
    if (!text) {
      this.focusInput();
      return;
    }
    this.input.value = "";
    this.updateCounter();
    this.autoGrow();
    this.send(text, text);
    this.focusInput();
  };

  /** Send `message` as the shopper, showing `display` (a button's title) as their bubble. */
  Widget.prototype.send = function (message, display) {
    message = String(message || "").slice(0, MAX_LENGTH);
    if (!message.replace(/\s+/g, "")) return;
    var entry = { message: message, display: display != null ? String(display) : message };
    if (this.ready && this.socket && this.socket.connected) {
      this.addItem({ author: "customer", text: entry.display, buttons: [], at: new Date() });
      this.emitUtterance(entry);
    } else {
      this.queue.push(entry);
      this.saveQueue();
      this.addItem(this.queuedItem(entry));
    }
    this.scrollToBottom(true);
  };

  Widget.prototype.queuedItem = function (entry) {
    return { author: "customer", text: entry.display, buttons: [], at: new Date(), pending: true, entry: entry };
  };

  Widget.prototype.emitUtterance = function (entry) {
    // Each message has an id of its own and stays unacknowledged until the server has handled
    // it. If the connection drops first (the server restarting), it is sent again, with the
    // same id, once connected: the server answers a message it never answered, and ignores
    // one it did.
    if (!entry.id) entry.id = messageId();
    var data = {
      message: entry.message,
      message_id: entry.id,
      session_id: this.sessionId,
      customData: this.customData()
    };
    // a button press: the title is what the shopper's other tabs should show (klantreis_user_echo)
    if (entry.display && entry.display !== entry.message) data.display = entry.display;
    if (this.unacked.indexOf(entry) < 0) this.unacked.push(entry);
    var self = this;
    this.socket.emit("user_uttered", data, function () {
      var at = self.unacked.indexOf(entry);
      if (at >= 0) self.unacked.splice(at, 1);
    });
    this.showTyping();
  };

  Widget.prototype.resendUnacked = function () {
    var entries = this.unacked.slice();
    for (var i = 0; i < entries.length; i++) this.emitUtterance(entries[i]);
  };

  Widget.prototype.flushQueue = function () {
    if (!this.queue.length) return;
    var queue = this.queue;
    this.queue = [];
    for (var i = 0; i < this.items.length; i++) {
      var item = this.items[i];
      if (item.pending) {
        item.pending = false;
        item.entry = null;
        if (item.node) {
          item.node.classList.remove("kr-msg--pending");
          var note = item.node.querySelector(".kr-pending-note");
          if (note) note.parentNode.removeChild(note);
        }
      }
    }
    for (var j = 0; j < queue.length; j++) this.emitUtterance(queue[j]);
    this.saveQueue();
  };

  Widget.prototype.loadQueue = function () {
    try {
      var parsed = JSON.parse(storageGet("sessionStorage", QUEUE_KEY) || "[]");
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(function (e) {
        return e && typeof e.message === "string" && e.message;
      }).map(function (e) {
        return { message: e.message, display: typeof e.display === "string" ? e.display : e.message };
      });
    } catch (e) {
      return [];
    }
  };

  Widget.prototype.saveQueue = function () {
    storageSet("sessionStorage", QUEUE_KEY, this.queue.length ? JSON.stringify(this.queue) : null);
  };

  // ---- typing indicator

  Widget.prototype.showTyping = function () {
    var self = this;
    var stick = this.isNearBottom();
    this.typing.removeAttribute("hidden");
    if (stick) this.scrollToBottom(true);
    this.setTimer("typing", TYPING_TIMEOUT_MS, function () {
      self.hideTyping();
    });
  };

  Widget.prototype.hideTyping = function () {
    this.clearTimer("typing");
    if (this.typing) this.typing.setAttribute("hidden", "");
  };

  // ---- rendering

  Widget.prototype.addItem = function (item) {
    var stick = item.author === "customer" || this.isNearBottom();
    if (item.author === "customer") this.disableAllButtons();
    this.items.push(item);
    this.list.appendChild(this.renderItem(item, false));
    this.updateWelcome();
    if (stick) this.scrollToBottom(true);
  };

  Widget.prototype.renderAll = function (keepScroll) {
    var self = this;
    var scrollTop = this.body.scrollTop;
    // a replaced transcript is not news: keep screen readers from reading it all out again
    this.list.setAttribute("aria-live", "off");
    this.setTimer("live", 300, function () {
      self.list.setAttribute("aria-live", "polite");
    });
    while (this.list.firstChild) this.list.removeChild(this.list.firstChild);
    // buttons stay usable only on messages after the shopper's last message
    var lastCustomer = -1;
    for (var i = 0; i < this.items.length; i++) if (this.items[i].author === "customer") lastCustomer = i;
    var fragment = document.createDocumentFragment();
    for (var j = 0; j < this.items.length; j++) {
      var item = this.items[j];
      if (j < lastCustomer) item.buttonsDone = true;
      fragment.appendChild(this.renderItem(item, true));
    }
    this.list.appendChild(fragment);
    this.updateWelcome();
    if (keepScroll) this.body.scrollTop = scrollTop;
  };

  Widget.prototype.updateWelcome = function () {
    if (this.items.length === 0 && this.historyKnown) this.welcome.removeAttribute("hidden");
    else this.welcome.setAttribute("hidden", "");
  };

  Widget.prototype.renderItem = function (item, quiet) {
    var self = this;
    var author = item.author;
    var li = el("li", "kr-msg kr-msg--" + author, { "data-testid": "kr-message", "data-author": author });
    if (quiet) li.classList.add("kr-msg--quiet");
    var who;
    if (author === "customer") who = this.t("you");
    else if (author === "agent") who = this.agentLabel(item);
    else if (author === "system") who = this.t("system");
    else who = this.botName;
    li.setAttribute("data-sr-label", who + ": ");

    if (author === "agent") {
      var label = el("div", "kr-agent-label");
      var initial = el("span", "kr-agent-initial", { "aria-hidden": "true" });
      // drawn by CSS from the attribute, so the label's text is just "<name> · klantenservice"
      initial.setAttribute("data-initial", (item.agentName || who).charAt(0).toUpperCase());
      label.appendChild(initial);
      var labelText = el("span", "kr-agent-name");
      labelText.textContent = who;
      label.appendChild(labelText);
      li.appendChild(label);
    }

    var bubble = el("div", "kr-bubble");
    if (item.at) {
      try {
        bubble.title = item.at.toLocaleString(this.language === "en" ? "en-GB" : "nl-NL", {
          weekday: "short",
          hour: "2-digit",
          minute: "2-digit"
        });
      } catch (e) {
        /* no Intl: no tooltip */
      }
    }
    var shownText = item.cards ? item.cards.intro : item.text;
    if (shownText) {
      var textEl = el("div", "kr-text");
      appendText(textEl, shownText, author === "bot" || author === "agent", this.t("opensNewTab"));
      bubble.appendChild(textEl);
    }
    if (item.image) {
      var src = safeUrl(item.image, this.server + "/");
      if (src) {
        var img = el("img", "kr-image", { loading: "lazy", decoding: "async" });
        img.alt = item.text ? this.t("image") + ": " + item.text.slice(0, 120) : this.t("image");
        img.addEventListener("load", function () {
          if (self.isNearBottom(240)) self.scrollToBottom(true);
        });
        img.src = src;
        bubble.appendChild(img);
      }
    }
    li.appendChild(bubble);
    if (item.cards) {
      li.classList.add("kr-msg--cards");
      li.appendChild(this.renderCards(item.cards));
    }

    if (item.pending) {
      li.classList.add("kr-msg--pending");
      var note = el("div", "kr-pending-note");
      note.textContent = this.t("pending");
      li.appendChild(note);
    }

    if (item.buttons && item.buttons.length) {
      var group = el("div", "kr-buttons", { role: "group" });
      item.buttons.forEach(function (b) {
        var button = el("button", "kr-button", { type: "button", "data-testid": "kr-button" });
        button.textContent = b.title;
        if (b.chosen) button.classList.add("kr-button--chosen");
        if (item.buttonsDone) button.disabled = true;
        button.addEventListener("click", function () {
          if (button.disabled || item.buttonsDone) return;
          b.chosen = true;
          button.classList.add("kr-button--chosen");
          self.send(b.payload, b.title);
          self.focusInput();
        });
        group.appendChild(button);
      });
      li.appendChild(group);
    }
    item.node = li;
    return li;
  };

  /** A horizontally scrolling row of product cards; every text goes in as text. */
  Widget.prototype.renderCards = function (data) {
    var self = this;
    var row = el("div", "kr-cards", { role: "list", "data-testid": "kr-cards" });
    data.cards.forEach(function (card) {
      var box = el("article", "kr-card", { role: "listitem", "data-testid": "kr-card" });
      if (card.sku) box.setAttribute("data-sku", card.sku);
      var href = card.url ? safeUrl(card.url) : null;
      var src = card.image ? safeUrl(card.image) : null;
      if (src) {
        var media = el(href ? "a" : "div", "kr-card-media", href ? { href: href, target: "_blank", rel: "noopener noreferrer", tabindex: "-1", "aria-hidden": "true" } : null);
        var img = el("img", "kr-card-image", { loading: "lazy", decoding: "async", alt: "", width: "400", height: "300" });
        img.src = src;
        media.appendChild(img);
        box.appendChild(media);
      }
      var body = el("div", "kr-card-body");
      var name = el(href ? "a" : "div", "kr-card-name", href ? { href: href, target: "_blank", rel: "noopener noreferrer", "data-testid": "kr-card-link" } : null);
      name.textContent = card.name;
      if (href) name.title = self.t("opensNewTab");
      body.appendChild(name);
      var facts = [
        ["kr-card-price", card.price],
        ["kr-card-rating", card.rating_text],
        ["kr-card-stock" + (card.inStock ? "" : " kr-card-stock--out"), card.stock_text],
        ["kr-card-reason", card.reason]
      ];
      facts.forEach(function (fact) {
        if (!fact[1]) return;
        var line = el("div", fact[0]);
        line.textContent = fact[1];
        body.appendChild(line);
      });
      if (card.buttons.length) {
        var group = el("div", "kr-card-buttons", { role: "group", "aria-label": card.name });
        card.buttons.forEach(function (b) {
          var button = el("button", "kr-card-button", { type: "button", "data-testid": "kr-card-button" });
          button.textContent = b.title;
          // a card's buttons name their product, so they stay usable later in the chat
          button.addEventListener("click", function () {
            self.send(b.payload, b.title);
            self.focusInput();
          });
          group.appendChild(button);
        });
        body.appendChild(group);
      }
      box.appendChild(body);
      row.appendChild(box);
    });
    return row;
  };

  Widget.prototype.agentLabel = function (item) {
    return item.agentName ? item.agentName + " · " + this.t("agentRole") : capitalise(this.t("agentRole"));
  };

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  Widget.prototype.disableAllButtons = function () {
    for (var i = 0; i < this.items.length; i++) this.items[i].buttonsDone = true;
    var buttons = this.list.querySelectorAll(".kr-button");
    for (var j = 0; j < buttons.length; j++) buttons[j].disabled = true;
  };

  Widget.prototype.isNearBottom = function (margin) {
    var body = this.body;
    return body.scrollHeight - body.scrollTop - body.clientHeight < (margin || NEAR_BOTTOM_PX);
  };

  Widget.prototype.scrollToBottom = function () {
    var body = this.body;
    body.scrollTop = body.scrollHeight;
  };

  Widget.prototype.updateCounter = function () {
    var length = this.input.value.length;
    if (length >= COUNTER_FROM) {
      var left = MAX_LENGTH - length;
      this.counter.textContent = left > 0 ? this.t("charsLeft", { n: left }) : this.t("charsMax", { n: MAX_LENGTH });
      this.counter.classList.toggle("kr-counter--limit", left <= 0);
      this.counter.removeAttribute("hidden");
    } else {
      this.counter.textContent = "";
      this.counter.setAttribute("hidden", "");
    }
  };

  Widget.prototype.autoGrow = function () {
    var input = this.input;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
  };

  // ---- timers and teardown

  Widget.prototype.setTimer = function (name, ms, fn) {
    this.clearTimer(name);
    this.timers[name] = window.setTimeout(fn, ms);
  };

  Widget.prototype.clearTimer = function (name) {
    if (this.timers[name]) {
      window.clearTimeout(this.timers[name]);
      delete this.timers[name];
    }
  };

  Widget.prototype.destroy = function () {
    this.destroyed = true;
    for (var name in this.timers) {
      if (Object.prototype.hasOwnProperty.call(this.timers, name)) this.clearTimer(name);
    }
    if (this.socket) {
      this.socket.off();
      this.socket.disconnect();
      this.socket = null;
    }
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
    document.documentElement.classList.remove("kr-panel-open");
  };

  // ---------------------------------------------------------------- public API

  var instance = null;
  var defaultLanguage = null;

  var api = {
    version: VERSION,

    /**
     * Mount the widget (replacing one already mounted).
     * options: server, language ("nl"|"en"), customerToken, title, botName,
     *          newSession (true: start a new conversation instead of resuming the stored one),
     *          open (true/false: override the remembered open state).
     */
    mount: function (options) {
      options = options || {};
      if (instance) instance.destroy();
      if (options.language == null && defaultLanguage) options.language = defaultLanguage;
      instance = new Widget(options);
      return api;
    },
    unmount: function () {
      if (instance) instance.destroy();
      instance = null;
    },
    setLanguage: function (lang) {
      defaultLanguage = normLanguage(lang);
      if (instance) instance.setLanguage(lang, "api");
    },
    getLanguage: function () {
      return instance ? instance.language : defaultLanguage || "nl";
    },
    open: function () {
      if (instance) instance.setOpen(true, true);
    },
    close: function () {
      if (instance) instance.setOpen(false, true);
    },
    toggle: function () {
      if (instance) instance.setOpen(!instance.isOpen, true);
    },
    /** Send text as the shopper (queued while offline). */
    send: function (text) {
      if (instance) instance.send(text, text);
    },
    getSessionId: function () {
      return instance ? instance.sessionId : null;
    },
    getState: function () {
      return instance ? instance.state : "disconnected";
    }
  };
  window.KlantreisWidget = api;

  // ---------------------------------------------------------------- auto-mount

  function autoMount() {
    if (instance || !currentScript) return;
    var data = currentScript.dataset || {};
    if (data.autoMount === "false") return;
    api.mount({
      server: data.server || scriptServer || undefined,
      language: data.language || "nl",
      customerToken: data.customerToken || undefined,
      title: data.title || undefined,
      botName: data.botName || undefined
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autoMount);
  } else {
    window.setTimeout(autoMount, 0);
  }
})(window, document);
