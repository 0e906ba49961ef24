/*!
 * Klantreis agent console: the login page. Plain JavaScript, no build step.
 *
 * GET /agent/api/login-csrf gives a token (and sets a cookie); POST /agent/api/login sends
 * {username, password} as JSON with that token in X-CSRF-Token. The session cookie is HttpOnly,
 * so this script never sees it: on 200 it just goes to /agent/.
 */
(function (window, document) {
  "use strict";

  var I18N = window.KlantreisAgentI18n;
  var lang = I18N.stored() || "nl";
  var csrf = null;
  var busy = false;

  var form = document.querySelector(".kc-login-form");
  var username = document.querySelector("[data-testid=login-username]");
  var password = document.querySelector("[data-testid=login-password]");
  var submit = document.querySelector("[data-testid=login-submit]");
  var errorLine = document.querySelector("[data-testid=login-error]");
  var langButton = document.querySelector("[data-testid=login-lang]");
  var eye = document.querySelector(".kc-password-toggle");
  var errorKey = null; // kept as a key, so the toggle translates a shown error too

  function t(key) {
    return I18N.t(lang, key);
  }

  function render() {
    I18N.apply(document, lang);
    document.title = t("loginTitle") + " · " + t("appName");
    var shown = password.type === "text";
    eye.setAttribute("aria-label", t(shown ? "hidePassword" : "showPassword"));
    eye.setAttribute("title", t(shown ? "hidePassword" : "showPassword"));
    if (busy) submit.textContent = t("loggingIn");
    showError(errorKey);
  }

  function showError(key) {
    errorKey = key;
    errorLine.textContent = key ? t(key) : "";
    errorLine.hidden = !key;
    var invalid = key === "loginInvalid" || key === "loginMissing";
    username.setAttribute("aria-invalid", invalid ? "true" : "false");
    password.setAttribute("aria-invalid", invalid ? "true" : "false");
  }

  function fetchCsrf() {
    return window
      .fetch("/agent/api/login-csrf", {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" }
      })
      .then(function (response) {
        if (!response.ok) throw new Error("login-csrf " + response.status);
        return response.json();
      })
      .then(function (body) {
        csrf = body && body.csrf ? String(body.csrf) : null;
        return csrf;
      });
  }

  function setBusy(value) {
    busy = value;
    submit.disabled = value;
    submit.setAttribute("aria-busy", value ? "true" : "false");
    submit.textContent = t(value ? "loggingIn" : "loginSubmit");
  }

  function login(event) {
    event.preventDefault();
    if (busy) return;
    var name = username.value.trim();
    if (!name || !password.value) {
      showError("loginMissing");
      (name ? password : username).focus();
      return;
    }
    showError(null);
    setBusy(true);
    var ready = csrf ? Promise.resolve(csrf) : fetchCsrf();
    ready
      .then(function (token) {
        return window.fetch("/agent/api/login", {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRF-Token": token || ""
          },
          body: JSON.stringify({ username: name, password: password.value })
        });
      })
      .then(function (response) {
        if (response.ok) {
          password.value = "";
          window.location.assign("/agent/");
          return;
        }
        setBusy(false);
        csrf = null; // fetch a fresh token for the next attempt
        fetchCsrf().catch(function () {});
        if (response.status === 429) {
          showError("loginTooMany");
        } else if (response.status === 401) {
          showError("loginInvalid");
          password.select();
          password.focus();
        } else {
          showError("genericError");
        }
      })
      .catch(function () {
        setBusy(false);
        csrf = null;
        showError("networkError");
      });
  }

  form.addEventListener("submit", login);

  langButton.addEventListener("click", function () {
    lang = lang === "nl" ? "en" : "nl";
    I18N.store(lang);
    render();
  });

  eye.addEventListener("click", function () {
    var show = password.type === "password";
    password.type = show ? "text" : "password";
    eye.setAttribute("aria-pressed", show ? "true" : "false");
    render();
    password.focus();
  });

  // a shown password is hidden again before the form goes anywhere (and password managers
  // see a password field)
  form.addEventListener("submit", function () {
    if (password.type === "text") {
      password.type = "password";
      eye.setAttribute("aria-pressed", "false");
    }
  });

  render();
  fetchCsrf().catch(function () {
    /* tried again on submit */
  });
})(window, document);
