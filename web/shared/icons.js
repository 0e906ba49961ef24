/*
 * Klantreis icons: one SVG path table and one helper, shared by the chat widget (served
 * together with it, see connectors/webchat/channel.py) and the agent console (its own
 * <script>). 24×24 stroke icons, drawn with currentColor by each UI's CSS.
 *
 *   KlantreisIcons.icon("send", "kr-icon", "kr-extra")  → <svg class="kr-icon kr-extra">…
 */
(function (window, document) {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var PATHS = {
    chat: "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16h0A2.5 2.5 0 0 1 4 13.5z",
    close: "M6 6l12 12M18 6L6 18",
    send: "M4.5 12h13M12.5 6l6 6-6 6",
    lock: "M7 11V8a5 5 0 0 1 10 0v3M5.5 11h13a1 1 0 0 1 1 1v7.5a1.5 1.5 0 0 1-1.5 1.5H6a1.5 1.5 0 0 1-1.5-1.5V12a1 1 0 0 1 1-1z",
    check: "M5 12.5l4.5 4.5L19 7.5",
    cross: "M7 7l10 10M17 7L7 17",
    truck: "M3 6h11v10H3zM14 10h4l3 3v3h-7M7.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM17.5 19a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z",
    external: "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5",
    alert: "M12 4l9 16H3zM12 10v4M12 17v.01",
    user: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
    clock: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2",
    shield: "M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z"
  };

  /** An inline SVG icon, hidden from screen readers (the control around it has the label). */
  function icon(name, baseClass, extraClass) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", baseClass + (extraClass ? " " + extraClass : ""));
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", PATHS[name]);
    svg.appendChild(path);
    return svg;
  }

  window.KlantreisIcons = { icon: icon, names: Object.keys(PATHS) };
})(window, document);
