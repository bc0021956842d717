// Warn before the server ends an idle session, and let the person stay signed in.
(function () {
  "use strict";
  var body = document.body;
  var statusUrl = body.getAttribute("data-session-status");
  if (!statusUrl) { return; }
  var extendUrl = body.getAttribute("data-session-extend");
  var loginUrl = body.getAttribute("data-login-url");
  var warning = document.getElementById("session-warning");
  var secondsEl = document.getElementById("session-warning-seconds");
  var stay = document.getElementById("session-warning-stay");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var WARN_AT = 120;
  var left = null;

  function describe(s) {
    if (s >= 60) { var m = Math.round(s / 60); return m + (m === 1 ? " minute" : " minutes"); }
    return s + (s === 1 ? " second" : " seconds");
  }
  function show(s) {
    secondsEl.textContent = describe(s);
    if (warning.hidden) { warning.hidden = false; stay.focus(); }
  }
  var polling = false;
  function poll() {
    // One poll at a time: two answering an expired session at once could drop the "signed out" message.
    if (polling) { return; }
    polling = true;
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.signed_in) { window.location.assign(loginUrl); return; }
        left = data.seconds_left;
        if (left <= WARN_AT) { show(left); } else { warning.hidden = true; }
      })
      .catch(function () { /* offline: try again at the next poll */ })
      .then(function () { polling = false; });
  }
  function tick() {
    if (left === null) { return; }
    left -= 1;
    if (left <= 0) { window.location.assign(loginUrl); return; }
    if (left <= WARN_AT) { show(left); }
  }
  stay.addEventListener("click", function () {
    fetch(extendUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function () { warning.hidden = true; poll(); });
  });
  poll();
  setInterval(poll, 30000);
  setInterval(tick, 1000);
})();
