/*!
 * Klantreis agent console. Plain JavaScript, no build step, no dependencies.
 *
 * Three columns: the queue (left), the open conversation (middle) and what we know about the
 * customer (right). Data comes from /agent/api/* (JSON) and the live stream /agent/api/events
 * (Server-Sent Events). The session cookie is HttpOnly; every POST carries the CSRF token from
 * /agent/api/me in X-CSRF-Token.
 *
 * Security: server data only ever reaches the page through textContent, text nodes and
 * setAttribute on elements made with createElement; links are only made for absolute http(s)
 * URLs. Nothing here parses HTML.
 */
(function (window, document) {
  "use strict";

  var I18N = window.KlantreisAgentI18n;
  var API = "/agent/api";
  var LOGIN_URL = "/agent/login";
  var MAX_LENGTH = 2000;
  var COUNTER_FROM = 1600;
  var NEAR_BOTTOM_PX = 80;
  var GROUP_MS = 3 * 60 * 1000; // consecutive messages of one author within this are grouped
  var QUEUE_POLL_MS = 30000; // a safety net next to the live stream
  var OFFLINE_POLL_MS = 10000;
  var ORDERS_SHOWN = 3;
  var TIMELINE_SHOWN = 12;
  var CHANNELS = { web: "Web", whatsapp: "WhatsApp", telegram: "Telegram" };
  var AUTHORS = ["customer", "bot", "agent", "system"];

  // ------------------------------------------------------------------ state

  var state = {
    lang: I18N.stored() || "nl",
    me: null,
    csrf: null,
    queue: { waiting: [], mine: [], tickets: [], others: [], agents: [] },
    queueAt: 0, // performance.now() when the queue (and its wait_seconds) arrived
    queueLoaded: false,
    seen: {}, // handoff ids seen in the queue before, to highlight new arrivals
    fresh: {}, // handoff id -> time it arrived (highlighted for a few seconds)
    unread: {}, // conversation_id -> true
    openId: null, // the handoff id on screen (string)
    open: null, // GET /agent/api/handoffs/<id>
    openAt: 0,
    loading: false,
    liveNotes: [], // notes that arrived while the open conversation was loading
    pending: [], // replies on their way: {key, text, conversationId, node, sent}
    canned: [],
    showAllOrders: false,
    showAllTimeline: false,
    leaving: false,
    live: "connecting"
  };

  // ------------------------------------------------------------------ small helpers

  function t(key, values) {
    return I18N.t(state.lang, key, values);
  }

  /** A text for a code (reason_complaint, order_shipped, …), or the raw code when unknown. */
  function word(prefix, code) {
    if (code === null || code === undefined || code === "") return "";
    return I18N.has(prefix + code) ? t(prefix + code) : String(code);
  }

  function $(selector, root) {
    return (root || document).querySelector(selector);
  }

  /**
   * createElement with attributes and children. Strings become text nodes; "text" sets
   * textContent; "class" the class name. There is deliberately no way to set HTML.
   */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "class") node.className = value;
        else if (name === "text") node.textContent = String(value);
        else if (/^on/i.test(name)) throw new Error("no inline handlers: " + name);
        else if ((name === "href" || name === "src") && !httpUrl(value)) return;
        else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined || children === false) return node;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) append(node, child);
      else if (typeof child === "object" && child.nodeType) node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    });
    return node;
  }

  // Icons: web/shared/icons.js (loaded before this file by console.html).
  function icon(name, extraClass) {
    return window.KlantreisIcons.icon(name, "kc-icon", extraClass);
  }

  /** An absolute http(s) URL, or null: no javascript:, data:, or relative surprises. */
  function httpUrl(raw) {
    if (typeof raw !== "string" || !raw) return null;
    try {
      var url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** A link for an image: absolute http(s), or a path on this server (an image proxy). */
  function imageUrl(raw) {
    if (typeof raw !== "string" || !raw) return null;
    if (/^\/(?!\/)/.test(raw)) {
      try {
        return new URL(raw, window.location.origin).href;
      } catch (e) {
        return null;
      }
    }
    return httpUrl(raw);
  }

  function externalLink(href, children, className) {
    var link = el("a", {
      class: className || "kc-link",
      href: href,
      target: "_blank",
      rel: "noopener noreferrer"
    });
    append(link, children);
    append(link, el("span", { class: "kc-sr-only", text: " " + t("opensNewTab") }));
    return link;
  }

  var URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  function trimUrl(candidate) {
    var url = candidate;
    for (;;) {
      var last = url.charAt(url.length - 1);
      if (/[.,;:!?'"»]/.test(last)) url = url.slice(0, -1);
      else if (last === ")" && url.split("(").length < url.split(")").length) url = url.slice(0, -1);
      else return url;
    }
  }

  /** Text as text nodes, with http(s) URLs as safe links. */
  function richText(parent, text) {
    text = String(text);
    var position = 0;
    var match;
    URL_PATTERN.lastIndex = 0;
    while ((match = URL_PATTERN.exec(text)) !== null) {
      var url = trimUrl(match[0]);
      var href = httpUrl(url);
      if (!href) continue;
      if (match.index > position) append(parent, text.slice(position, match.index));
      parent.appendChild(externalLink(href, url));
      position = match.index + url.length;
      URL_PATTERN.lastIndex = position;
    }
    if (position < text.length) append(parent, text.slice(position));
    return parent;
  }

  function truncate(text, max) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function same(a, b) {
    return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);
  }

  function agentName(agent) {
    if (!agent) return "";
    if (typeof agent === "string") return agent;
    return agent.display_name || agent.name || agent.username || "";
  }

  function isMine(item) {
    return !!(item && item.agent && state.me && same(item.agent.id, state.me.id));
  }

  function isSupervisor() {
    return !!(state.me && state.me.role === "supervisor");
  }

  function claimable(item) {
    return !!item && (item.status === "waiting" || item.status === "ticket") && !item.agent;
  }

  // ------------------------------------------------------------------ dates and durations

  var formatters = {};

  function formatter(kind) {
    var key = state.lang + ":" + kind;
    if (!formatters[key]) {
      var locale = state.lang === "en" ? "en-GB" : "nl-NL";
      var options = {
        time: { hour: "2-digit", minute: "2-digit" },
        day: { weekday: "short", day: "numeric", month: "short" },
        dayYear: { day: "numeric", month: "short", year: "numeric" },
        money: null
      }[kind];
      formatters[key] =
        kind === "money"
          ? new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" })
          : new Intl.DateTimeFormat(locale, options);
    }
    return formatters[key];
  }

  function parseDate(value) {
    if (!value) return null;
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      var parts = value.split("-");
      return new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])); // local date
    }
    var date = new Date(value);
    return isNaN(date.getTime()) ? null : date;
  }

  function dayKey(date) {
    return date.getFullYear() + "-" + date.getMonth() + "-" + date.getDate();
  }

  function dayLabel(date) {
    var today = new Date();
    var yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (dayKey(date) === dayKey(today)) return t("today");
    if (dayKey(date) === dayKey(yesterday)) return t("yesterday");
    return date.getFullYear() === today.getFullYear()
      ? formatter("day").format(date)
      : formatter("dayYear").format(date);
  }

  function timeLabel(date) {
    return date ? formatter("time").format(date) : "";
  }

  function whenLabel(value) {
    var date = parseDate(value);
    if (!date) return "";
    var today = dayKey(date) === dayKey(new Date());
    return today ? timeLabel(date) : dayLabel(date) + " " + timeLabel(date);
  }

  /** A date inside a sentence: "gisteren", "di 17 nov". */
  function dateLabel(value) {
    var date = parseDate(value);
    if (!date) return String(value || "");
    var label = dayLabel(date);
    return label === t("today") || label === t("yesterday") ? label.toLowerCase() : label;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /** 00:42, 07:15 (under ten minutes), 12 min, 1 u 5 min, 2 d. */
  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    if (seconds < 600) return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return t("durMinutes", { m: minutes });
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return t("durHours", { h: hours, m: minutes % 60 });
    return t("durDays", { d: Math.floor(hours / 24) });
  }

  function waitNow(base) {
    return Number(base || 0) + (window.performance.now() - state.queueAt) / 1000;
  }

  function money(total, cents) {
    if (typeof cents === "number") return formatter("money").format(cents / 100);
    if (total === null || total === undefined || total === "") return "";
    var number = typeof total === "number" ? total : Number(String(total).replace(",", "."));
    return isFinite(number) && String(total).indexOf("€") === -1
      ? formatter("money").format(number)
      : String(total);
  }

  // ------------------------------------------------------------------ the API

  function toLogin() {
    if (state.leaving) return;
    state.leaving = true;
    if (events) events.close();
    window.location.assign(LOGIN_URL);
  }

  function request(method, path, body) {
    var headers = { Accept: "application/json" };
    var init = { method: method, credentials: "same-origin", cache: "no-store", headers: headers };
    if (method !== "GET") {
      headers["X-CSRF-Token"] = state.csrf || "";
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
    }
    return window.fetch(API + path, init).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            return { ok: response.ok, status: response.status, data: data };
          });
      },
      function () {
        return { ok: false, status: 0, data: null, network: true };
      }
    );
  }

  /** fetch JSON; a 401 goes to the login page; a stale CSRF token is renewed once. */
  function api(method, path, body, retried) {
    return request(method, path, body).then(function (result) {
      if (result.status === 401) {
        toLogin();
        return result;
      }
      if (
        result.status === 403 &&
        method !== "GET" &&
        !retried &&
        result.data &&
        /csrf/i.test(String(result.data.error || ""))
      ) {
        return request("GET", "/me").then(function (me) {
          if (me.ok && me.data) {
            state.csrf = me.data.csrf_token;
            return api(method, path, body, true);
          }
          if (me.status === 401) toLogin();
          return result;
        });
      }
      return result;
    });
  }

  function problem(result, fallbackKey) {
    if (result.network) return t("networkError");
    var data = result.data || {};
    if (data.error === "taken") return t("errTaken");
    if (typeof data.message === "string" && data.message) return data.message;
    if (result.status === 403) return t("errForbidden");
    if (result.status === 404) return t("errNotFound");
    return t(fallbackKey || "genericError");
  }

  // ------------------------------------------------------------------ notices

  var toast = $(".kc-toast");
  var toastText = $(".kc-toast-text");
  var toastTimer = null;
  var flashBox = $(".kc-flash");
  var flashTimer = null;

  function showError(text) {
    if (state.leaving) return;
    toastText.textContent = text;
    toast.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(hideError, 9000);
  }

  function hideError() {
    toast.hidden = true;
    toastText.textContent = "";
  }

  function flash(text) {
    flashBox.textContent = text;
    flashBox.hidden = false;
    window.clearTimeout(flashTimer);
    flashTimer = window.setTimeout(function () {
      flashBox.hidden = true;
    }, 2800);
  }

  $(".kc-toast-close").addEventListener("click", hideError);

  // ------------------------------------------------------------------ live indicator

  var live = $("[data-testid=live]");

  function setLive(value) {
    state.live = value;
    live.setAttribute("data-state", value);
    $(".kc-live-text", live).textContent = t(value === "live" ? "live" : value);
  }

  // ------------------------------------------------------------------ the queue

  var queueRoot = $(".kc-queue-sections");
  var queueDeferred = false;
  var queueBusy = false;
  var queueAgain = false;
  var queueTimer = null;

  function normalizeQueue(data) {
    data = data || {};
    function list(value) {
      return Array.isArray(value) ? value : [];
    }
    return {
      waiting: list(data.waiting),
      mine: list(data.mine),
      tickets: list(data.tickets),
      others: list(data.others),
      agents: list(data.agents)
    };
  }

  function allItems() {
    var q = state.queue;
    return q.mine.concat(q.waiting, q.tickets, q.others);
  }

  function findItem(id) {
    var items = allItems();
    for (var i = 0; i < items.length; i++) if (same(items[i].id, id)) return items[i];
    return null;
  }

  function refreshQueue() {
    if (queueBusy) {
      queueAgain = true;
      return Promise.resolve();
    }
    queueBusy = true;
    return api("GET", "/queue")
      .then(function (result) {
        if (result.ok) {
          state.queue = normalizeQueue(result.data);
          state.queueAt = window.performance.now();
          markArrivals();
          state.queueLoaded = true;
          renderQueue();
          updateHeaderFromQueue();
        } else if (result.status !== 401 && !state.queueLoaded) {
          showError(problem(result, "errQueue"));
        }
      })
      .then(function () {
        queueBusy = false;
        if (queueAgain) {
          queueAgain = false;
          return refreshQueue();
        }
      });
  }

  function scheduleQueue() {
    window.clearTimeout(queueTimer);
    queueTimer = window.setTimeout(refreshQueue, 120);
  }

  function markArrivals() {
    var now = Date.now();
    allItems().forEach(function (item) {
      var key = String(item.id);
      if (state.queueLoaded && !state.seen[key]) state.fresh[key] = now;
      state.seen[key] = true;
    });
  }

  function sortItems(items) {
    return items.slice().sort(function (a, b) {
      var pa = Number(a.priority) || 2;
      var pb = Number(b.priority) || 2;
      if (pa !== pb) return pa - pb;
      return (Number(b.wait_seconds) || 0) - (Number(a.wait_seconds) || 0);
    });
  }

  function channelTag(channel) {
    var name = CHANNELS[channel] || String(channel || "?");
    return el("span", { class: "kc-tag kc-tag--" + (CHANNELS[channel] ? channel : "other"), text: name });
  }

  function langTag(language) {
    return el("span", { class: "kc-tag kc-tag--lang", text: String(language || "nl").toUpperCase() });
  }

  function priorityBadge(priority) {
    if (Number(priority) === 1) return el("span", { class: "kc-badge kc-badge--urgent", text: t("urgent") });
    if (Number(priority) === 3) return el("span", { class: "kc-badge kc-badge--low", text: t("low") });
    return null;
  }

  function waitClass(item, seconds) {
    if (item.status !== "waiting") return "";
    if (seconds >= 600) return " is-long";
    if (seconds >= 300) return " is-warn";
    return "";
  }

  function reassignSelect(item) {
    var select = el("select", {
      class: "kc-select kc-select--small",
      "data-testid": "reassign",
      "aria-label": t("reassignLabel"),
      title: t("reassignLabel")
    });
    select.appendChild(el("option", { value: "", text: t("reassign") }));
    state.queue.agents.forEach(function (agent) {
      var current = item.agent && same(item.agent.id, agent.id);
      var label = agentName(agent) || String(agent.id);
      var suffix = current ? t("current") : agent.online ? "" : t("offlineAgent");
      select.appendChild(
        el("option", {
          value: String(agent.id),
          disabled: current,
          text: (agent.online ? "● " : "○ ") + label + (suffix ? " (" + suffix + ")" : "")
        })
      );
    });
    select.addEventListener("change", function () {
      var agent = state.queue.agents.filter(function (a) {
        return same(a.id, select.value);
      })[0];
      if (!agent) return;
      select.blur();
      select.disabled = true;
      assign(item, agent).then(function () {
        select.disabled = false;
        select.value = "";
      });
    });
    return select;
  }

  function assign(item, agent) {
    return api("POST", "/handoffs/" + encodeURIComponent(item.id) + "/assign", {
      agent_id: agent.id
    }).then(function (result) {
      if (result.ok) {
        flash(t("assigned", { name: agentName(agent) }));
        refreshQueue();
        if (same(item.id, state.openId)) reloadOpen();
      } else if (result.status !== 401) {
        showError(result.status === 403 ? t("errForbidden") : problem(result, "errAssign"));
        refreshQueue();
      }
    });
  }

  function queueItem(item, section) {
    var key = String(item.id);
    var base = Number(item.wait_seconds) || 0;
    var seconds = waitNow(base);
    var unread = !!state.unread[item.conversation_id];
    var open = same(item.id, state.openId);
    var name = item.customer_name || t("anonymous");

    var li = el("li", {
      class:
        "kc-qi" +
        (open ? " is-open" : "") +
        (unread ? " is-unread" : "") +
        (Number(item.priority) === 1 ? " is-urgent" : "") +
        (state.fresh[key] && Date.now() - state.fresh[key] < 6000 ? " is-fresh" : ""),
      "data-testid": "queue-item",
      "data-handoff-id": key,
      "data-status": item.status || "",
      "data-section": section
    });

    var last = item.status === "ticket" && item.message ? item.message : item.last_message;
    var owner = null;
    if (item.agent && (section === "others" || (section !== "mine" && !isMine(item)))) {
      owner = el("span", {
        class: "kc-qi-owner",
        text: t(item.status === "ticket" ? "ticketOwner" : "withAgent", { name: agentName(item.agent) })
      });
    } else if (item.agent && isMine(item) && section !== "mine") {
      owner = el("span", { class: "kc-qi-owner", text: t("withYou") });
    }

    var button = el(
      "button",
      {
        type: "button",
        class: "kc-qi-open",
        "aria-current": open ? "true" : null,
        "data-open": key
      },
      [
        el("span", { class: "kc-qi-top" }, [
          unread ? el("span", { class: "kc-dot", title: t("unread"), "aria-label": t("unread") }) : null,
          el("span", { class: "kc-qi-name", text: name, title: name }),
          el("span", {
            class: "kc-qi-wait" + waitClass(item, seconds),
            "data-wait": String(base),
            "data-kind": item.status || "",
            text: duration(seconds)
          })
        ]),
        el("span", { class: "kc-qi-tags" }, [
          priorityBadge(item.priority),
          channelTag(item.channel),
          langTag(item.language),
          el("span", { class: "kc-qi-reason", text: word("reason_", item.reason) })
        ]),
        el("span", {
          class: "kc-qi-last" + (last ? "" : " is-empty"),
          text: last ? truncate(last, 160) : t("noMessage")
        }),
        owner
      ]
    );
    li.appendChild(button);

    var actions = [];
    if (claimable(item)) {
      actions.push(
        el("button", {
          type: "button",
          class: "kc-btn kc-btn--primary kc-btn--small",
          "data-testid": "claim",
          "data-claim": key,
          text: t("claim")
        })
      );
    }
    if (isSupervisor() && state.queue.agents.length) actions.push(reassignSelect(item));
    if (actions.length) {
      li.appendChild(el("div", { class: "kc-qi-actions" }, actions));
      // a lone claim button sits in the corner; with a reassign select it gets its own row
      if (actions.length === 1 && claimable(item)) li.classList.add("has-corner");
    }
    return li;
  }

  function queueSection(key, titleKey, emptyKey, items) {
    var list = el("ul", { class: "kc-qlist" });
    var sorted = sortItems(items);
    sorted.forEach(function (item) {
      list.appendChild(queueItem(item, key));
    });
    if (!sorted.length) list.appendChild(el("li", { class: "kc-qempty", text: t(emptyKey) }));
    var unread = sorted.filter(function (item) {
      return state.unread[item.conversation_id];
    }).length;
    var urgent = sorted.filter(function (item) {
      return Number(item.priority) === 1;
    }).length;
    return el("section", { class: "kc-qsec", "data-section": key }, [
      el("h2", { class: "kc-qsec-title" }, [
        el("span", { text: t(titleKey) }),
        el("span", {
          class: "kc-count" + (urgent && key !== "mine" ? " is-urgent" : unread ? " is-unread" : ""),
          text: String(sorted.length)
        })
      ]),
      list
    ]);
  }

  function teamSection() {
    var agents = state.queue.agents.slice().sort(function (a, b) {
      return Number(!!b.online) - Number(!!a.online) || agentName(a).localeCompare(agentName(b));
    });
    var online = agents.filter(function (a) {
      return a.online;
    }).length;
    return el("section", { class: "kc-qsec kc-team", "data-section": "team" }, [
      el("h2", { class: "kc-qsec-title" }, [
        el("span", { text: t("secTeam") }),
        el("span", { class: "kc-count", text: online + "/" + agents.length })
      ]),
      el(
        "ul",
        { class: "kc-team-list" },
        agents.map(function (agent) {
          return el("li", { class: "kc-team-agent" + (agent.online ? " is-online" : "") }, [
            el("span", { class: "kc-presence", "aria-hidden": "true" }),
            el("span", { class: "kc-team-name", text: agentName(agent) }),
            el("span", { class: "kc-team-state", text: t(agent.online ? "online" : "offlineAgent") })
          ]);
        })
      )
    ]);
  }

  function renderQueue() {
    var active = document.activeElement;
    if (active && queueRoot.contains(active) && active.tagName === "SELECT") {
      queueDeferred = true; // do not pull a select away from under the supervisor
      return;
    }
    queueDeferred = false;
    var focus = null;
    if (active && queueRoot.contains(active)) {
      ["data-open", "data-claim"].forEach(function (name) {
        if (active.hasAttribute(name)) {
          focus = "[" + name + '="' + window.CSS.escape(active.getAttribute(name)) + '"]';
        }
      });
    }
    var q = state.queue;
    var sections = [
      queueSection("mine", "secMine", "emptyMine", q.mine),
      queueSection("waiting", "secWaiting", "emptyWaiting", q.waiting),
      queueSection("tickets", "secTickets", "emptyTickets", q.tickets)
    ];
    if (isSupervisor()) {
      sections.push(queueSection("others", "secOthers", "emptyOthers", q.others));
      if (q.agents.length) sections.push(teamSection());
    }
    queueRoot.replaceChildren.apply(queueRoot, sections);
    if (focus) {
      var again = queueRoot.querySelector(focus);
      if (again) again.focus();
    }
    updateTitle();
  }

  queueRoot.addEventListener("focusout", function () {
    if (queueDeferred) window.setTimeout(renderQueue, 0);
  });

  queueRoot.addEventListener("click", function (event) {
    var claimButton = event.target.closest("[data-claim]");
    if (claimButton) {
      claim(claimButton.getAttribute("data-claim"), claimButton);
      return;
    }
    var openButton = event.target.closest("[data-open]");
    if (openButton) openConversation(openButton.getAttribute("data-open"));
  });

  function claim(id, button) {
    if (button) {
      button.disabled = true;
      button.textContent = t("claiming");
    }
    return api("POST", "/handoffs/" + encodeURIComponent(id) + "/claim").then(function (result) {
      if (button) {
        button.disabled = false;
        button.textContent = t(button === claimHeader ? "claimThis" : "claim");
      }
      if (result.ok) {
        var handoff = result.data && result.data.handoff;
        refreshQueue();
        openConversation(handoff && handoff.id !== undefined ? handoff.id : id, { quiet: same(id, state.openId) });
        return;
      }
      if (result.status === 401) return;
      showError(result.status === 409 ? t("errTaken") : problem(result));
      refreshQueue();
      if (same(id, state.openId)) reloadOpen();
    });
  }

  function updateTitle() {
    var unread = Object.keys(state.unread).length;
    var waiting = state.queue.waiting.length;
    var count = unread + waiting;
    document.title = (count ? "(" + count + ") " : "") + t("appName") + " · " + t("consoleName");
  }

  // ------------------------------------------------------------------ the conversation

  var column = $("[data-testid=conversation]");
  var emptyView = $(".kc-conv-empty");
  var convView = $(".kc-conv");
  var nameBox = $(".kc-conv-name");
  var metaBox = $(".kc-conv-meta");
  var claimHeader = $("[data-testid=conversation-claim]");
  var handbackButton = $("[data-testid=handback]");
  var resolveButton = $("[data-testid=resolve]");
  var windowWarning = $("[data-testid=window-warning]");
  var ticketBanner = $(".kc-banner--ticket");
  var scroller = $(".kc-transcript");
  var messagesBox = $(".kc-messages");
  var jumpButton = $(".kc-jump");
  var readonly = $(".kc-readonly");
  var replyForm = $(".kc-reply");
  var replyInput = $("[data-testid=reply-input]");
  var sendButton = $("[data-testid=reply-send]");
  var cannedSelect = $("[data-testid=canned]");
  var cannedLang = $(".kc-canned-lang");
  var counter = $(".kc-counter");
  var noteForm = $(".kc-note-form");
  var noteInput = $("[data-testid=note-input]");
  var noteButton = $("[data-testid=note-save]");
  var openToken = 0;
  var lastRendered = null; // {author, who, at, day} of the last transcript entry

  function openHandoff() {
    return state.open && state.open.handoff ? state.open.handoff : null;
  }

  function customerName() {
    var handoff = openHandoff();
    var context = state.open && state.open.context;
    var customer = context && context.customer;
    return (handoff && handoff.customer_name) || (customer && !customer.anonymous && customer.name) || null;
  }

  function setHash(id) {
    var hash = id === null ? "" : "#handoff=" + encodeURIComponent(id);
    if (window.location.hash !== hash) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search + hash);
    }
  }

  function hashId() {
    var match = /^#handoff=([^&]+)$/.exec(window.location.hash || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  function openConversation(id, options) {
    options = options || {};
    id = String(id);
    var token = ++openToken;
    var switching = !same(id, state.openId);
    state.openId = id;
    setHash(id);
    if (switching) {
      state.showAllOrders = false;
      state.showAllTimeline = false;
      state.loading = true;
      column.setAttribute("data-handoff-id", id);
      column.setAttribute("aria-busy", "true");
      renderQueue();
      if (!options.quiet) showLoading();
    }
    return api("GET", "/handoffs/" + encodeURIComponent(id)).then(function (result) {
      if (token !== openToken) return; // another conversation was opened meanwhile
      state.loading = false;
      column.removeAttribute("aria-busy");
      if (!result.ok) {
        if (result.status === 401) return;
        showError(result.status === 404 ? t("errNotFound") : problem(result, "errLoad"));
        if (switching || result.status === 404) closeConversation();
        return;
      }
      var data = result.data || {};
      if (!data.handoff) data.handoff = findItem(id) || { id: id };
      data.notes = withLiveNotes(id, data.notes);
      state.open = data;
      state.openAt = window.performance.now();
      if (data.handoff.conversation_id) delete state.unread[data.handoff.conversation_id];
      renderConversation(!switching);
      renderContext();
      renderQueue();
      if (switching && data.can_reply) replyInput.focus({ preventScroll: true });
    });
  }

  function reloadOpen() {
    if (state.openId !== null) return openConversation(state.openId, { quiet: true });
    return Promise.resolve();
  }

  function closeConversation() {
    openToken++;
    state.openId = null;
    state.open = null;
    state.pending = [];
    setHash(null);
    column.removeAttribute("data-handoff-id");
    column.removeAttribute("aria-busy");
    convView.hidden = true;
    emptyView.hidden = false;
    emptyView.classList.remove("is-loading");
    renderContext();
    renderQueue();
  }

  function showLoading() {
    state.open = null;
    convView.hidden = true;
    emptyView.hidden = false;
    emptyView.classList.add("is-loading");
    $(".kc-conv-empty-title").textContent = t("loadingConversation");
    $(".kc-conv-empty-hint").textContent = "";
    renderContext();
  }

  function statusChip(handoff) {
    var status = handoff.status || "";
    var label = word("status_", status);
    if (status === "assigned" && handoff.agent) {
      label = isMine(handoff) ? t("withYou") : t("withAgent", { name: agentName(handoff.agent) });
    }
    return el("span", { class: "kc-status kc-status--" + status.replace(/[^a-z_]/g, ""), text: label });
  }

  function renderHeader() {
    var handoff = openHandoff();
    var name = customerName();
    nameBox.textContent = name || t("anonymous");
    nameBox.classList.toggle("is-anonymous", !name);
    var item = findItem(handoff.id) || handoff;
    var base = Number(item.wait_seconds);
    var waitNode = null;
    if (handoff.status === "waiting" || handoff.status === "ticket") {
      var seconds = isFinite(base) ? waitNow(base) : 0;
      waitNode = el("span", { class: "kc-conv-wait" }, [
        icon("clock"),
        el("span", {
          "data-wait": String(isFinite(base) ? base : 0),
          "data-template": "waitedFor",
          text: t("waitedFor", { time: duration(seconds) })
        })
      ]);
    }
    metaBox.replaceChildren();
    append(metaBox, [
      priorityBadge(handoff.priority),
      channelTag(handoff.channel),
      langTag(handoff.language),
      statusChip(handoff),
      el("span", { class: "kc-conv-reason", text: word("reason_", handoff.reason) }),
      waitNode
    ]);

    var canReply = !!state.open.can_reply;
    var canClaim = claimable(handoff);
    claimHeader.hidden = !canClaim;
    claimHeader.disabled = !canClaim;
    handbackButton.hidden = !canReply;
    handbackButton.disabled = !canReply;
    resolveButton.hidden = !canReply;
    resolveButton.disabled = !canReply;
  }

  function renderBanners() {
    var handoff = openHandoff();
    var win = state.open.whatsapp_window;
    var outside = handoff.channel === "whatsapp" && win && win.open === false;
    windowWarning.hidden = !outside;
    windowWarning.classList.toggle("is-blocked", !!(outside && !win.template));
    $(".kc-banner-text", windowWarning).textContent = outside
      ? t(win.template ? "windowTemplate" : "windowNoTemplate")
      : "";
    ticketBanner.hidden = !handoff.message;
    $(".kc-banner-text", ticketBanner).textContent = handoff.message || "";
  }

  function renderComposer() {
    var handoff = openHandoff();
    var canReply = !!state.open.can_reply;
    [replyInput, sendButton, cannedSelect, noteInput, noteButton].forEach(function (control) {
      control.disabled = !canReply;
    });
    replyForm.hidden = !canReply;
    noteForm.hidden = !canReply;
    readonly.hidden = canReply;
    var closed = ["resolved", "returned", "cancelled", "answered"].indexOf(handoff.status) !== -1;
    var canClaim = claimable(handoff);
    $(".kc-readonly-text", readonly).textContent = closed
      ? t("readOnlyClosed")
      : canClaim
      ? t("readOnlyClaim")
      : t("readOnlyOther");
    cannedLang.textContent = t("cannedIn", { lang: t("langName_" + I18N.norm(handoff.language)) });
    updateCounter();
  }

  function renderConversation(keepScroll) {
    var handoff = openHandoff();
    if (!handoff) return;
    var wasNearBottom = nearBottom();
    var previousTop = scroller.scrollTop;
    column.setAttribute("data-handoff-id", String(handoff.id));
    emptyView.hidden = true;
    emptyView.classList.remove("is-loading");
    convView.hidden = false;
    renderHeader();
    renderBanners();
    renderTranscript();
    renderComposer();
    if (keepScroll && !wasNearBottom) {
      scroller.scrollTop = previousTop;
    } else {
      scrollToBottom();
    }
  }

  // ---------------------------------------------------------------- transcript

  function authorOf(message) {
    if (AUTHORS.indexOf(message.author) !== -1) return message.author;
    return message.direction === "in" ? "customer" : "bot";
  }

  function authorLabel(message, author) {
    if (author === "customer") return customerName() || t("customer");
    if (author === "bot") return t("bot");
    if (author === "agent") {
      var name = message.agent_name || t("agentFallback");
      return state.me && message.agent_name && message.agent_name === state.me.display_name
        ? name + " (" + t("you") + ")"
        : name;
    }
    return t("system");
  }

  function daySeparator(date) {
    return el("li", { class: "kc-day", "aria-hidden": "true" }, el("span", { text: dayLabel(date) }));
  }

  /** Start a new visual group, or continue the previous one (then the author line is hidden). */
  function placeEntry(node, date, author, who) {
    var day = date ? dayKey(date) : lastRendered && lastRendered.day;
    if (date && (!lastRendered || lastRendered.day !== day)) {
      messagesBox.appendChild(daySeparator(date));
      lastRendered = null;
    }
    var continues =
      lastRendered &&
      author !== "system" &&
      lastRendered.author === author &&
      lastRendered.who === who &&
      date &&
      lastRendered.at &&
      date - lastRendered.at < GROUP_MS;
    if (continues) node.classList.add("is-continued");
    messagesBox.appendChild(node);
    lastRendered = { author: author, who: who, at: date || (lastRendered && lastRendered.at), day: day };
  }

  function messageNode(message) {
    var author = authorOf(message);
    var date = parseDate(message.at);
    var handoff = openHandoff();
    var node = el("li", {
      class: "kc-msg kc-msg--" + author,
      "data-testid": "transcript-message",
      "data-author": author,
      "data-message-id": message.id !== undefined && message.id !== null ? String(message.id) : null,
      title: date ? dayLabel(date) + " " + timeLabel(date) : null
    });
    if (author === "system") {
      node.appendChild(
        el("span", { class: "kc-system" }, [
          el("span", { class: "kc-system-text", text: String(message.text || "") }),
          date ? el("time", { class: "kc-time", datetime: message.at, text: timeLabel(date) }) : null
        ])
      );
      return node;
    }
    var otherChannel = message.channel && handoff && message.channel !== handoff.channel;
    node.appendChild(
      el("div", { class: "kc-msg-meta" }, [
        el("span", { class: "kc-msg-author", text: authorLabel(message, author) }),
        otherChannel ? channelTag(message.channel) : null,
        date ? el("time", { class: "kc-time", datetime: message.at, text: timeLabel(date) }) : null
      ])
    );
    var bubble = el("div", { class: "kc-bubble" });
    if (message.text) bubble.appendChild(richText(el("p", { class: "kc-text" }), message.text));
    var image = message.image && (typeof message.image === "string" ? message.image : message.image.url);
    var src = imageUrl(image);
    if (src) {
      var link = externalLink(src, null, "kc-image-link");
      link.setAttribute("title", t("openImage"));
      link.appendChild(
        el("img", {
          class: "kc-image",
          src: src,
          alt: t("image"),
          loading: "lazy",
          referrerpolicy: "no-referrer"
        })
      );
      bubble.appendChild(link);
    } else if (image) {
      bubble.appendChild(el("p", { class: "kc-text kc-muted", text: "[" + t("image") + "]" }));
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      bubble.appendChild(
        el("div", { class: "kc-chips", "aria-label": t("buttonsShown") }, [
          el("span", { class: "kc-sr-only", text: t("buttonsShown") }),
          message.buttons.map(function (b) {
            return el("span", { class: "kc-chip", title: b && b.payload ? String(b.payload) : null, text: String((b && b.title) || "") });
          })
        ])
      );
    }
    node.appendChild(bubble);
    // Agents follow their own messages to delivery; a bot message is only worth a word when
    // it never reached the customer (the provider failed it after our retries).
    var undelivered = message.status === "failed" || message.status === "undelivered";
    if ((author === "agent" && message.status && message.status !== "sent") || (author === "bot" && undelivered)) {
      node.appendChild(
        el("div", {
          class: "kc-msg-status kc-msg-status--" + String(message.status).replace(/[^a-z_]/g, ""),
          text: word("msgstatus_", message.status)
        })
      );
    }
    return node;
  }

  function noteNode(note) {
    var date = parseDate(note.at);
    var author = agentName(note.author) || t("system");
    return el(
      "li",
      {
        class: "kc-note",
        "data-testid": "note",
        "data-note-id": note.id !== undefined && note.id !== null ? String(note.id) : null
      },
      [
        el("div", { class: "kc-note-meta" }, [
          icon("lock"),
          el("span", { class: "kc-note-tag", text: t("noteTag") }),
          el("span", { class: "kc-note-author", text: author }),
          date ? el("time", { class: "kc-time", datetime: note.at, text: whenLabel(note.at) }) : null
        ]),
        el("p", { class: "kc-note-text", text: String(note.text || "") })
      ]
    );
  }

  function pendingNode(entry) {
    var node = el("li", {
      class: "kc-msg kc-msg--agent is-pending",
      "data-testid": "transcript-pending",
      "data-author": "agent"
    }, [
      el("div", { class: "kc-msg-meta" }, [
        el("span", {
          class: "kc-msg-author",
          text: ((state.me && state.me.display_name) || t("agentFallback")) + " (" + t("you") + ")"
        })
      ]),
      el("div", { class: "kc-bubble" }, el("p", { class: "kc-text", text: entry.text })),
      el("div", { class: "kc-msg-status", text: t("sending") })
    ]);
    entry.node = node;
    return node;
  }

  function renderTranscript() {
    var transcript = Array.isArray(state.open.transcript) ? state.open.transcript : [];
    var notes = Array.isArray(state.open.notes) ? state.open.notes.slice() : [];
    var conversationId = openHandoff().conversation_id;
    messagesBox.replaceChildren();
    lastRendered = null;
    // notes sit between the messages by time
    notes.sort(function (a, b) {
      return (parseDate(a.at) || 0) - (parseDate(b.at) || 0);
    });
    var n = 0;
    transcript.forEach(function (message) {
      var at = parseDate(message.at);
      while (n < notes.length && at && parseDate(notes[n].at) && parseDate(notes[n].at) <= at) {
        placeEntry(noteNode(notes[n]), parseDate(notes[n].at), "note", null);
        n++;
      }
      var author = authorOf(message);
      placeEntry(messageNode(message), at, author, author === "agent" ? message.agent_name : null);
    });
    for (; n < notes.length; n++) placeEntry(noteNode(notes[n]), parseDate(notes[n].at), "note", null);
    if (!transcript.length && !notes.length) {
      messagesBox.appendChild(el("li", { class: "kc-transcript-empty", text: t("noTranscript") }));
    }
    // replies still on their way, unless the transcript has them by now
    state.pending = state.pending.filter(function (entry) {
      if (entry.conversationId !== conversationId) return false;
      var arrived = transcript.some(function (m) {
        return authorOf(m) === "agent" && String(m.text || "").trim() === entry.text;
      });
      if (!arrived) messagesBox.appendChild(pendingNode(entry));
      return !arrived;
    });
    jumpButton.hidden = true;
  }

  function hasEntry(attribute, id) {
    if (id === undefined || id === null) return false;
    var nodes = messagesBox.querySelectorAll("[" + attribute + "]");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute(attribute) === String(id)) return nodes[i];
    }
    return false;
  }

  function appendLive(node, date, author, who) {
    var stick = nearBottom();
    var empty = $(".kc-transcript-empty", messagesBox);
    if (empty) empty.remove();
    // live entries go before replies still being sent
    var firstPending = $(".is-pending", messagesBox);
    if (firstPending) {
      messagesBox.insertBefore(node, firstPending);
      // no grouping across the pending replies, and no second day separator either
      lastRendered = date ? { author: "pending", who: null, at: date, day: dayKey(date) } : lastRendered;
    } else {
      placeEntry(node, date, author, who);
    }
    if (stick) scrollToBottom();
    else jumpButton.hidden = false;
  }

  function addLiveMessage(message) {
    if (!state.open) return;
    var transcript = state.open.transcript || (state.open.transcript = []);
    var existing = hasEntry("data-message-id", message.id);
    if (existing) {
      // an update (a delivery status, say): replace it in place
      for (var i = 0; i < transcript.length; i++) {
        if (same(transcript[i].id, message.id)) transcript[i] = message;
      }
      var replacement = messageNode(message);
      if (existing.classList.contains("is-continued")) replacement.classList.add("is-continued");
      existing.replaceWith(replacement);
      return;
    }
    transcript.push(message);
    var author = authorOf(message);
    if (author === "agent") {
      var text = String(message.text || "").trim();
      for (var p = 0; p < state.pending.length; p++) {
        if (state.pending[p].text === text) {
          if (state.pending[p].node) state.pending[p].node.remove();
          state.pending.splice(p, 1);
          break;
        }
      }
    }
    if (author === "customer" && state.open.whatsapp_window && state.open.whatsapp_window.open === false) {
      reloadOpen(); // the customer wrote: the 24-hour window may be open again (the server knows)
    }
    appendLive(messageNode(message), parseDate(message.at), author, author === "agent" ? message.agent_name : null);
    addToTimeline(message);
  }

  /**
   * A note that arrived live while the conversation was loading (or reloading) may be newer than
   * what the server sent: keep it, so no note from another process is lost to the race.
   */
  function withLiveNotes(id, fetched) {
    var notes = Array.isArray(fetched) ? fetched.slice() : [];
    var live = (state.liveNotes || []).concat(state.open && state.open.notes ? state.open.notes : []);
    state.liveNotes = [];
    live.forEach(function (note) {
      if (!note || !same(note.handoff_id, id)) return;
      if (notes.some(function (n) { return same(n.id, note.id); })) return;
      notes.push(note);
    });
    return notes;
  }

  function addNote(note) {
    if (!note) return;
    if (!state.open || state.loading) {
      (state.liveNotes || (state.liveNotes = [])).push(note);
      if (!state.open) return;
    }
    if (hasEntry("data-note-id", note.id)) return;
    (state.open.notes || (state.open.notes = [])).push(note);
    appendLive(noteNode(note), parseDate(note.at), "note", null);
  }

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
    jumpButton.hidden = true;
  }

  scroller.addEventListener("scroll", function () {
    if (nearBottom()) jumpButton.hidden = true;
  });
  jumpButton.addEventListener("click", function () {
    scrollToBottom();
  });

  // ---------------------------------------------------------------- composer

  function updateCounter() {
    var length = replyInput.value.length;
    counter.textContent = length >= COUNTER_FROM ? t("charsLeft", { n: Math.max(0, MAX_LENGTH - length) }) : "";
    counter.classList.toggle("is-max", length >= MAX_LENGTH);
    counter.hidden = !counter.textContent;
    sendButton.classList.toggle("is-ready", !!replyInput.value.trim());
  }

  function autoGrow(textarea, maxPx) {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight + 2, maxPx) + "px";
  }

  replyInput.addEventListener("input", function () {
    updateCounter();
    autoGrow(replyInput, 200);
  });
  noteInput.addEventListener("input", function () {
    autoGrow(noteInput, 120);
  });

  replyInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      sendReply();
    }
  });

  noteInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      saveNote();
    }
  });

  replyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    sendReply();
  });

  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    saveNote();
  });

  var pendingKey = 0;

  function sendReply() {
    var handoff = openHandoff();
    if (!handoff || !state.open.can_reply) return;
    var text = replyInput.value.trim();
    if (!text) {
      replyInput.focus();
      return;
    }
    if (text.length > MAX_LENGTH) {
      showError(t("errTooLong", { n: MAX_LENGTH }));
      return;
    }
    var entry = { key: ++pendingKey, text: text, conversationId: handoff.conversation_id, node: null };
    state.pending.push(entry);
    var empty = $(".kc-transcript-empty", messagesBox);
    if (empty) empty.remove();
    messagesBox.appendChild(pendingNode(entry));
    scrollToBottom();
    replyInput.value = "";
    autoGrow(replyInput, 200);
    updateCounter();
    replyInput.focus();
    var id = handoff.id;
    api("POST", "/handoffs/" + encodeURIComponent(id) + "/reply", { text: text }).then(function (result) {
      if (result.ok) {
        // the message itself arrives on the live stream; check once should it not
        window.setTimeout(function () {
          if (state.pending.indexOf(entry) !== -1 && same(state.openId, id)) reloadOpen();
        }, 8000);
        return;
      }
      if (result.status === 401) return;
      var index = state.pending.indexOf(entry);
      if (index !== -1) state.pending.splice(index, 1);
      if (entry.node) entry.node.remove();
      if (same(state.openId, id) && !replyInput.value) {
        replyInput.value = text;
        autoGrow(replyInput, 200);
        updateCounter();
      }
      var data = result.data || {};
      if (result.status === 409 && data.error === "outside_window" && state.open && same(state.openId, id)) {
        var win = state.open.whatsapp_window || (state.open.whatsapp_window = { open: false, template: false });
        win.open = false;
        renderBanners();
      }
      if (result.status === 409 && data.error !== "outside_window" && !data.message) {
        showError(t("errNotYours"));
        reloadOpen();
        return;
      }
      showError(problem(result, "errReply"));
    });
  }

  function saveNote() {
    var handoff = openHandoff();
    if (!handoff || !state.open.can_reply) return;
    var text = noteInput.value.trim();
    if (!text) {
      noteInput.focus();
      return;
    }
    if (text.length > MAX_LENGTH) {
      showError(t("errTooLong", { n: MAX_LENGTH }));
      return;
    }
    noteButton.disabled = true;
    var id = handoff.id;
    api("POST", "/handoffs/" + encodeURIComponent(id) + "/note", { text: text }).then(function (result) {
      noteButton.disabled = !(state.open && state.open.can_reply);
      if (result.ok) {
        if (same(state.openId, id)) {
          if (noteInput.value.trim() === text) noteInput.value = "";
          autoGrow(noteInput, 120);
          var note = result.data && result.data.note;
          if (note) {
            addNote(note);
            scrollToBottom();
          } else reloadOpen();
        }
        return;
      }
      if (result.status !== 401) showError(problem(result, "errNote"));
    });
  }

  function finish(kind) {
    var handoff = openHandoff();
    if (!handoff || !state.open.can_reply) return;
    if (kind === "resolve" && !window.confirm(t("confirmResolve"))) return;
    var button = kind === "resolve" ? resolveButton : handbackButton;
    button.disabled = true;
    var id = handoff.id;
    api("POST", "/handoffs/" + encodeURIComponent(id) + "/" + kind).then(function (result) {
      button.disabled = false;
      if (result.ok) {
        flash(t(kind === "resolve" ? "resolved" : "handedBack"));
        refreshQueue();
        if (same(state.openId, id)) reloadOpen();
        return;
      }
      if (result.status !== 401) showError(problem(result));
      reloadOpen();
    });
  }

  handbackButton.addEventListener("click", function () {
    finish("handback");
  });
  resolveButton.addEventListener("click", function () {
    finish("resolve");
  });
  claimHeader.addEventListener("click", function () {
    if (state.openId !== null) claim(state.openId, claimHeader);
  });

  // ---------------------------------------------------------------- canned responses

  function pick(map, language) {
    if (!map) return "";
    if (typeof map === "string") return map;
    return map[I18N.norm(language)] || map.nl || map.en || "";
  }

  function renderCanned() {
    var placeholder = el("option", { value: "", text: t("canned") });
    cannedSelect.replaceChildren(placeholder);
    state.canned.forEach(function (response) {
      cannedSelect.appendChild(
        el("option", { value: String(response.key), text: pick(response.title, state.lang) || String(response.key) })
      );
    });
    cannedSelect.value = "";
  }

  function loadCanned() {
    return api("GET", "/canned").then(function (result) {
      if (result.ok && result.data && Array.isArray(result.data.responses)) {
        state.canned = result.data.responses;
        renderCanned();
      }
    });
  }

  cannedSelect.addEventListener("change", function () {
    var handoff = openHandoff();
    var response = state.canned.filter(function (r) {
      return String(r.key) === cannedSelect.value;
    })[0];
    cannedSelect.value = "";
    if (!response || !handoff) return;
    var text = pick(response.text, handoff.language); // the conversation's language, not the UI's
    var start = replyInput.selectionStart;
    var end = replyInput.selectionEnd;
    var before = replyInput.value.slice(0, start);
    if (before && !/\s$/.test(before)) text = " " + text;
    replyInput.setRangeText(text, start, end, "end");
    if (replyInput.value.length > MAX_LENGTH) replyInput.value = replyInput.value.slice(0, MAX_LENGTH);
    replyInput.focus();
    autoGrow(replyInput, 200);
    updateCounter();
  });

  // ------------------------------------------------------------------ context column

  var contextColumn = $("[data-testid=context]");
  var contextBody = $(".kc-context-body");
  var contextEmpty = $(".kc-context-empty");

  function section(titleKey, body, extra) {
    return el("section", { class: "kc-ctx-sec" + (extra && extra.className ? " " + extra.className : "") }, [
      el("h2", { class: "kc-ctx-title" }, [
        el("span", { text: t(titleKey) }),
        extra && extra.count !== undefined ? el("span", { class: "kc-count", text: String(extra.count) }) : null
      ]),
      body
    ]);
  }

  function muted(text) {
    return el("p", { class: "kc-muted", text: text });
  }

  function definition(rows) {
    var list = el("dl", { class: "kc-dl" });
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") return;
      list.appendChild(el("dt", { text: row[0] }));
      list.appendChild(el("dd", { class: row[2] || null }, row[1]));
    });
    return list;
  }

  function customerSection(context) {
    var customer = context.customer || {};
    var handoff = openHandoff();
    var name = customer.name || (handoff && handoff.customer_name);
    var anonymous = !!customer.anonymous || !name;
    var verified = (context.identities || []).some(function (i) {
      return i.verified;
    });
    return section(
      "ctxCustomer",
      el("div", { class: "kc-customer" }, [
        el("div", { class: "kc-customer-head" }, [
          el("span", { class: "kc-avatar" + (anonymous ? " is-anonymous" : ""), "aria-hidden": "true" }, anonymous ? icon("user") : initials(name)),
          el("div", { class: "kc-customer-name" }, [
            el("strong", { text: anonymous && !name ? t("anonymous") : name }),
            el(
              "span",
              { class: "kc-verified" + (verified ? " is-yes" : " is-no") },
              [icon(verified ? "shield" : "alert"), t(verified ? "verified" : "notVerified")]
            )
          ])
        ]),
        definition([
          [t("ref"), customer.ref, "kc-mono"],
          [t("language"), customer.language ? t("langName_" + I18N.norm(customer.language)) : null],
          [t("email"), customer.email, "kc-break"],
          [t("phone"), customer.phone, "kc-mono"]
        ]),
        anonymous ? el("p", { class: "kc-callout kc-callout--warn", text: t("anonymousNote") }) : null
      ])
    );
  }

  function initials(name) {
    var parts = String(name || "?")
      .replace(/<[^>]*>/g, " ")
      .replace(/[^\p{L}\p{N}\s'-]/gu, "")
      .trim()
      .split(/\s+/);
    var first = parts[0] ? parts[0].charAt(0) : "?";
    var last = parts.length > 1 ? parts[parts.length - 1].charAt(0) : "";
    return (first + last).toUpperCase();
  }

  function identitySection(context) {
    var identities = Array.isArray(context.identities) ? context.identities : [];
    var body = identities.length
      ? el(
          "ul",
          { class: "kc-identities" },
          identities.map(function (identity) {
            var method = identity.method ? word("method_", identity.method) : "";
            return el("li", { class: "kc-identity" + (identity.verified ? " is-verified" : "") }, [
              el("div", { class: "kc-identity-top" }, [
                channelTag(identity.channel),
                el("span", { class: "kc-identity-id kc-mono", text: String(identity.external_id || ""), title: String(identity.external_id || "") })
              ]),
              el("div", { class: "kc-identity-how" }, [
                icon(identity.verified ? "check" : "cross"),
                el("span", null, [
                  identity.verified
                    ? t("verified") + (method ? " " + t("verifiedVia", { method: method }) : "")
                    : t("notVerified"),
                  identity.verified && identity.verified_at
                    ? el("span", { class: "kc-muted-inline", text: " · " + whenLabel(identity.verified_at) })
                    : null
                ])
              ])
            ]);
          })
        )
      : muted(t("noIdentities"));
    return section("ctxIdentity", body);
  }

  function slotValue(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "boolean") return value ? "✓" : "✗";
    if (typeof value === "object") {
      try {
        return JSON.stringify(value);
      } catch (e) {
        return String(value);
      }
    }
    return String(value);
  }

  function botSection(context) {
    var bot = context.bot || {};
    var intents = Array.isArray(bot.intents) ? bot.intents : [];
    var slots = bot.slots && typeof bot.slots === "object" ? bot.slots : {};
    var slotKeys = Object.keys(slots).filter(function (key) {
      return slots[key] !== null && slots[key] !== undefined && slots[key] !== "";
    });
    var parts = [];
    if (intents.length) {
      parts.push(el("h3", { class: "kc-ctx-sub", text: t("intents") }));
      parts.push(
        el(
          "ul",
          { class: "kc-intents" },
          intents.slice(0, 5).map(function (intent) {
            var confidence = Number(intent.confidence);
            var pct = isFinite(confidence) ? Math.round(confidence <= 1 ? confidence * 100 : confidence) : null;
            var bar = el("span", { class: "kc-bar-fill" });
            if (pct !== null) bar.style.width = Math.max(0, Math.min(100, pct)) + "%";
            return el("li", { class: "kc-intent" + (pct !== null && pct < 50 ? " is-low" : "") }, [
              el("span", { class: "kc-intent-name kc-mono", text: String(intent.name || "?") }),
              el("span", { class: "kc-bar", "aria-hidden": "true" }, bar),
              el("span", { class: "kc-intent-pct", text: pct === null ? "—" : pct + "%" })
            ]);
          })
        )
      );
    }
    if (slotKeys.length) {
      parts.push(el("h3", { class: "kc-ctx-sub", text: t("slots") }));
      parts.push(
        definition(
          slotKeys.map(function (key) {
            return [key, slotValue(slots[key]), "kc-mono kc-break"];
          })
        )
      );
    }
    if (bot.last_message) {
      parts.push(el("h3", { class: "kc-ctx-sub", text: t("lastBotMessage") }));
      parts.push(el("blockquote", { class: "kc-quote", text: String(bot.last_message) }));
    }
    if (!parts.length) parts.push(muted(t("noBotInfo")));
    return section("ctxBot", el("div", null, parts), { className: "kc-ctx-sec--bot" });
  }

  var CARRIERS = { postnl: "PostNL", dhl: "DHL", dpd: "DPD", ups: "UPS", gls: "GLS", budbee: "Budbee", homerr: "Homerr", trunkrs: "Trunkrs" };

  function itemsList(items) {
    if (typeof items === "number") {
      return el("p", { class: "kc-order-items", text: items === 1 ? t("article") : t("articles", { n: items }) });
    }
    if (!Array.isArray(items) || !items.length) return null;
    return el(
      "ul",
      { class: "kc-order-items" },
      items.map(function (item) {
        if (typeof item === "string") return el("li", { text: item });
        item = item || {};
        var name = pick(item.name, state.lang) || item.title || item.sku || "?";
        var qty = Number(item.quantity || item.qty || 1);
        var extra = [item.size, item.colour || item.color].filter(Boolean).map(String).join(", ");
        return el("li", null, [
          qty > 1 ? el("span", { class: "kc-qty", text: qty + "× " }) : null,
          String(name),
          extra ? el("span", { class: "kc-muted-inline", text: " (" + extra + ")" }) : null
        ]);
      })
    );
  }

  function shipmentNode(shipment) {
    var late = !!shipment.late || shipment.status === "delayed";
    var tracking = httpUrl(shipment.tracking_url);
    var carrier = CARRIERS[String(shipment.carrier || "").toLowerCase()] || String(shipment.carrier || "");
    var dates = [];
    if (late) {
      if (shipment.promised_date) dates.push(el("span", { class: "kc-was", text: t("promised") + " " + dateLabel(shipment.promised_date) }));
      if (shipment.eta) dates.push(el("strong", { class: "kc-eta", text: t("eta") + " " + dateLabel(shipment.eta) }));
    } else if (shipment.eta && shipment.status !== "delivered") {
      dates.push(el("span", { text: t("expected") + " " + dateLabel(shipment.eta) }));
    } else if (shipment.promised_date && shipment.status !== "delivered") {
      dates.push(el("span", { text: t("expected") + " " + dateLabel(shipment.promised_date) }));
    }
    return el("li", { class: "kc-shipment" + (late ? " is-late" : "") }, [
      el("div", { class: "kc-shipment-top" }, [
        icon("truck"),
        el("span", { class: "kc-carrier", text: carrier }),
        late ? null : el("span", { class: "kc-ship-status", text: word("ship_", shipment.status) }),
        late ? el("span", { class: "kc-badge kc-badge--late", text: t("late") }) : null,
        tracking ? externalLink(tracking, [t("track"), icon("external", "kc-icon--xs")], "kc-link kc-track") : null
      ]),
      dates.length ? el("div", { class: "kc-ship-dates" }, dates) : null
    ]);
  }

  function orderNode(order) {
    var shipments = Array.isArray(order.shipments) ? order.shipments : [];
    var late = shipments.some(function (s) {
      return s.late || s.status === "delayed";
    }) || order.status === "delayed";
    return el("li", { class: "kc-order" + (late ? " is-late" : "") }, [
      el("div", { class: "kc-order-top" }, [
        el("strong", { class: "kc-order-number kc-mono", text: "#" + String(order.order_number || "?") }),
        el("span", { class: "kc-order-status kc-order-status--" + String(order.status || "").replace(/[^a-z_]/g, ""), text: word("order_", order.status) }),
        late && order.status !== "delayed" ? el("span", { class: "kc-badge kc-badge--late", text: t("delayed") }) : null,
        el("span", { class: "kc-order-total", text: money(order.total, order.total_cents) })
      ]),
      order.placed_at ? el("div", { class: "kc-order-date", text: t("placedOn", { date: dateLabel(order.placed_at) }) }) : null,
      itemsList(order.items),
      shipments.length ? el("ul", { class: "kc-shipments" }, shipments.map(shipmentNode)) : null
    ]);
  }

  function ordersSection(context) {
    var orders = (Array.isArray(context.orders) ? context.orders : []).slice().sort(function (a, b) {
      return (parseDate(b.placed_at) || 0) - (parseDate(a.placed_at) || 0);
    });
    if (!orders.length) return section("ctxOrders", muted(t("noOrders")));
    var shown = state.showAllOrders ? orders : orders.slice(0, ORDERS_SHOWN);
    var body = el("div", null, [el("ul", { class: "kc-orders" }, shown.map(orderNode))]);
    if (orders.length > shown.length) {
      var more = el("button", {
        type: "button",
        class: "kc-more",
        text: orders.length - shown.length === 1 ? t("moreOrder") : t("moreOrders", { n: orders.length - shown.length })
      });
      more.addEventListener("click", function () {
        state.showAllOrders = true;
        renderContext();
      });
      body.appendChild(more);
    }
    return section("ctxOrders", body, { count: orders.length });
  }

  function timelineLine(message) {
    var author = authorOf(message);
    var short = { customer: "K", bot: "B", agent: "M", system: "S" };
    if (state.lang === "en") short = { customer: "C", bot: "B", agent: "A", system: "S" };
    var text = message.text || (message.image ? "[" + t("image") + "]" : "");
    return el("li", { class: "kc-tl kc-tl--" + author }, [
      el("time", { class: "kc-tl-time", datetime: message.at || null, text: whenLabel(message.at) }),
      channelTag(message.channel),
      el("span", { class: "kc-tl-author", title: authorLabel(message, author), text: short[author] }),
      el("span", { class: "kc-tl-text", title: String(text), text: truncate(text, 120) })
    ]);
  }

  function timelineSection(context) {
    var timeline = (Array.isArray(context.timeline) ? context.timeline : []).slice().sort(function (a, b) {
      return (parseDate(b.at) || 0) - (parseDate(a.at) || 0);
    });
    if (!timeline.length) return section("ctxTimeline", muted(t("noTimeline")));
    var shown = state.showAllTimeline ? timeline : timeline.slice(0, TIMELINE_SHOWN);
    var body = el("div", null, el("ol", { class: "kc-timeline" }, shown.map(timelineLine)));
    if (timeline.length > shown.length) {
      var more = el("button", { type: "button", class: "kc-more", text: "+" + (timeline.length - shown.length) });
      more.addEventListener("click", function () {
        state.showAllTimeline = true;
        renderContext();
      });
      body.appendChild(more);
    }
    return section("ctxTimeline", body, { count: timeline.length, className: "kc-ctx-sec--timeline" });
  }

  function addToTimeline(message) {
    var context = state.open && state.open.context;
    if (!context) return;
    var timeline = context.timeline || (context.timeline = []);
    if (message.id !== undefined && timeline.some(function (m) {
      return same(m.id, message.id);
    })) return;
    timeline.push(message);
    var list = $(".kc-timeline", contextBody);
    if (list) list.insertBefore(timelineLine(message), list.firstChild);
    else renderContext();
  }

  function surveysSection(context) {
    var surveys = Array.isArray(context.surveys) ? context.surveys : [];
    if (!surveys.length) return section("ctxSurveys", muted(t("noSurveys")));
    return section(
      "ctxSurveys",
      el(
        "ul",
        { class: "kc-surveys" },
        surveys.map(function (survey) {
          var nps = survey.kind === "nps";
          var score = Number(survey.score);
          var max = nps ? 10 : 5;
          var tone = nps ? (score >= 9 ? "good" : score >= 7 ? "mid" : "bad") : score >= 4 ? "good" : score === 3 ? "mid" : "bad";
          return el("li", { class: "kc-survey" }, [
            el("div", { class: "kc-survey-top" }, [
              el("span", { class: "kc-score kc-score--" + tone, text: String(survey.kind || "").toUpperCase() + " " + score + "/" + max }),
              !nps && isFinite(score)
                ? el("span", { class: "kc-stars", "aria-hidden": "true", text: "★★★★★".slice(0, Math.max(0, Math.min(5, score))) + "☆☆☆☆☆".slice(0, 5 - Math.max(0, Math.min(5, score))) })
                : null,
              el("span", { class: "kc-muted-inline", text: dateLabel(survey.at) })
            ]),
            survey.comment ? el("blockquote", { class: "kc-quote", text: String(survey.comment) }) : null,
            agentName(survey.agent) ? el("div", { class: "kc-muted-small", text: t("surveyBy", { name: agentName(survey.agent) }) }) : null
          ]);
        })
      )
    );
  }

  function noticeNode(notice) {
    var voucher = notice.voucher;
    var dates = [];
    if (notice.old_date) dates.push(el("span", { class: "kc-was", text: t("promised") + " " + dateLabel(notice.old_date) }));
    if (notice.new_date) dates.push(el("strong", { class: "kc-eta", text: t("eta") + " " + dateLabel(notice.new_date) }));
    return el("li", { class: "kc-notice", "data-testid": "delay-notice", "data-notice-kind": String(notice.kind || "") }, [
      el("div", { class: "kc-notice-top" }, [
        icon("truck"),
        el("strong", { class: "kc-order-number kc-mono", text: "#" + String(notice.order_number || "?") }),
        el("span", { class: "kc-badge", text: word("notice_", notice.kind) }),
        el("span", { class: "kc-muted-inline", text: word("noticeOutcome_", notice.outcome) + " · " + dateLabel(notice.at) })
      ]),
      dates.length ? el("div", { class: "kc-ship-dates" }, dates) : null,
      notice.reason ? el("div", { class: "kc-muted-small", text: word("reason_", notice.reason) }) : null,
      voucher
        ? el("div", { class: "kc-voucher", "data-testid": "delay-voucher" }, [
            el("span", { class: "kc-mono", text: String(voucher.code || "") }),
            el("span", { text: " · € " + String(voucher.value_eur || "") }),
            voucher.expires ? el("span", { class: "kc-muted-inline", text: " · " + t("voucherUntil", { date: dateLabel(voucher.expires) }) }) : null
          ])
        : null
    ]);
  }

  function noticesSection(context) {
    var notices = Array.isArray(context.announced_notices) ? context.announced_notices : [];
    if (!notices.length) return section("ctxNotices", muted(t("noNotices")));
    return section("ctxNotices", el("ul", { class: "kc-notices" }, notices.map(noticeNode)), { count: notices.length });
  }

  function consentsSection(context) {
    var consents = Array.isArray(context.consents) ? context.consents : [];
    if (!consents.length) return section("ctxConsents", muted(t("noConsents")));
    return section(
      "ctxConsents",
      el(
        "ul",
        { class: "kc-consents" },
        consents.map(function (consent) {
          var channel = CHANNELS[consent.channel] || word("channel_", consent.channel);
          return el("li", { class: "kc-consent" + (consent.granted ? " is-yes" : " is-no"), title: whenLabel(consent.recorded_at) }, [
            icon(consent.granted ? "check" : "cross"),
            el("span", { class: "kc-consent-what", text: word("purpose_", consent.purpose) + " · " + channel }),
            el("span", { class: "kc-muted-inline", text: dateLabel(consent.recorded_at) })
          ]);
        })
      )
    );
  }

  function renderContext() {
    var context = state.open && state.open.context;
    if (!context) {
      contextBody.replaceChildren();
      contextEmpty.hidden = false;
      contextColumn.classList.toggle("is-loading", !!state.loading);
      return;
    }
    var scroll = contextColumn.scrollTop;
    contextEmpty.hidden = true;
    contextColumn.classList.remove("is-loading");
    contextBody.replaceChildren(
      customerSection(context),
      identitySection(context),
      botSection(context),
      ordersSection(context),
      noticesSection(context),
      timelineSection(context),
      surveysSection(context),
      consentsSection(context)
    );
    contextColumn.scrollTop = scroll;
  }

  // ------------------------------------------------------------------ live timers

  function tick() {
    var nodes = document.querySelectorAll("[data-wait]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var seconds = waitNow(node.getAttribute("data-wait"));
      var text = duration(seconds);
      if (node.getAttribute("data-template")) text = t(node.getAttribute("data-template"), { time: text });
      if (node.textContent !== text) node.textContent = text;
      if (node.classList.contains("kc-qi-wait") && node.getAttribute("data-kind") === "waiting") {
        node.classList.toggle("is-warn", seconds >= 300 && seconds < 600);
        node.classList.toggle("is-long", seconds >= 600);
      }
    }
  }

  function updateHeaderFromQueue() {
    // the queue carries fresher wait times than the open conversation
    var handoff = openHandoff();
    if (!handoff) return;
    var item = findItem(handoff.id);
    if (item && item.status === handoff.status) renderHeader();
  }

  // ------------------------------------------------------------------ live stream

  var events = null;
  var everLive = false;
  var droppedAt = 0;
  var retryDelay = 2000;
  var retryTimer = null;

  function connectEvents() {
    if (state.leaving) return;
    if (events) events.close();
    if (!everLive) setLive("connecting");
    var source = new window.EventSource(API + "/events", { withCredentials: true });
    events = source;

    source.addEventListener("open", function () {
      if (source !== events) return;
      setLive("live");
      retryDelay = 2000;
      if (everLive && droppedAt) {
        // events may have been missed while the stream was down
        refreshQueue();
        reloadOpen();
      }
      everLive = true;
      droppedAt = 0;
    });

    source.addEventListener("error", function () {
      if (source !== events) return;
      if (!droppedAt) droppedAt = Date.now();
      if (source.readyState === window.EventSource.CLOSED) {
        // the browser gave up (a 401 or 5xx): check the session, then try again ourselves
        setLive("offline");
        source.close();
        request("GET", "/me").then(function (me) {
          if (me.status === 401) return toLogin();
          window.clearTimeout(retryTimer);
          retryTimer = window.setTimeout(connectEvents, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 30000);
        });
      } else {
        setLive(everLive ? "offline" : "connecting"); // EventSource reconnects by itself
      }
    });

    source.addEventListener("message", function (event) {
      var message = parse(event.data);
      if (message && message.conversation_id !== undefined) onMessage(message);
    });
    source.addEventListener("queue", function () {
      scheduleQueue();
    });
    source.addEventListener("handoff", function (event) {
      var data = parse(event.data) || {};
      scheduleQueue();
      if (data.id !== undefined && same(data.id, state.openId)) reloadOpen();
    });
    source.addEventListener("note", function (event) {
      var data = parse(event.data) || {};
      if (same(data.handoff_id, state.openId)) addNote(data.note);
    });
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function onMessage(message) {
    var handoff = openHandoff();
    var isOpen = handoff && same(handoff.conversation_id, message.conversation_id);
    if (isOpen) addLiveMessage(message);
    var changed = false;
    allItems().forEach(function (item) {
      if (!same(item.conversation_id, message.conversation_id)) return;
      var text = message.text || (message.image ? "[" + t("image") + "]" : "");
      if (text && authorOf(message) !== "system") {
        item.last_message = text;
        changed = true;
      }
    });
    if (!isOpen && authorOf(message) === "customer" && findItemByConversation(message.conversation_id)) {
      state.unread[message.conversation_id] = true;
      changed = true;
    }
    if (changed) renderQueue();
  }

  function findItemByConversation(conversationId) {
    return allItems().some(function (item) {
      return same(item.conversation_id, conversationId);
    });
  }

  // ------------------------------------------------------------------ language, me, logout

  function renderMe() {
    var me = state.me;
    $(".kc-me-name").textContent = me.display_name || me.username || "";
    $(".kc-me-avatar").textContent = initials(me.display_name || me.username);
    var role = $(".kc-me-role");
    role.textContent = t(me.role === "supervisor" ? "roleSupervisor" : "roleAgent");
    role.classList.toggle("is-supervisor", me.role === "supervisor");
    role.hidden = me.role !== "supervisor"; // only worth a badge for supervisors
    document.body.classList.toggle("kc-is-supervisor", me.role === "supervisor");
  }

  function applyLanguage() {
    I18N.apply(document, state.lang);
    setLive(state.live);
    if (state.me) renderMe();
    renderCanned();
    renderQueue();
    if (state.open) renderConversation(true);
    else if (state.loading) showLoading();
    renderContext();
    updateTitle();
  }

  $("[data-testid=console-lang]").addEventListener("click", function () {
    state.lang = state.lang === "nl" ? "en" : "nl";
    I18N.store(state.lang);
    applyLanguage();
  });

  $("[data-testid=logout]").addEventListener("click", function (event) {
    var button = event.currentTarget;
    button.disabled = true;
    api("POST", "/logout").then(function (result) {
      if (result.network) {
        button.disabled = false;
        showError(t("networkError"));
        return;
      }
      toLogin();
    });
  });

  window.addEventListener("hashchange", function () {
    var id = hashId();
    if (id !== null && !same(id, state.openId)) openConversation(id);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !toast.hidden) hideError();
  });

  // ------------------------------------------------------------------ start

  function boot() {
    I18N.apply(document, state.lang);
    setLive("connecting");
    api("GET", "/me").then(function (result) {
      if (result.status === 401) return;
      if (!result.ok || !result.data) {
        showError(problem(result));
        window.setTimeout(boot, 5000);
        return;
      }
      state.me = result.data;
      state.csrf = result.data.csrf_token || null;
      state.lang = I18N.stored() || I18N.norm(result.data.language);
      document.body.classList.remove("kc-is-loading");
      applyLanguage();
      Promise.all([refreshQueue(), loadCanned()]).then(function () {
        var id = hashId();
        if (id !== null) openConversation(id);
      });
      connectEvents();
      window.setInterval(tick, 1000);
      window.setInterval(function () {
        var age = window.performance.now() - state.queueAt;
        if (age >= (state.live === "live" ? QUEUE_POLL_MS : OFFLINE_POLL_MS)) refreshQueue();
      }, 5000);
      window.setInterval(function () {
        // fresh-arrival highlights end
        var now = Date.now();
        var any = false;
        Object.keys(state.fresh).forEach(function (key) {
          if (now - state.fresh[key] >= 6000) {
            delete state.fresh[key];
            any = true;
          }
        });
        if (any) {
          var nodes = queueRoot.querySelectorAll(".kc-qi.is-fresh");
          for (var i = 0; i < nodes.length; i++) {
            if (!state.fresh[nodes[i].getAttribute("data-handoff-id")]) nodes[i].classList.remove("is-fresh");
          }
        }
      }, 2000);
    });
  }

  boot();
})(window, document);
