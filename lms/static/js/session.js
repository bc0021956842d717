// Warn before the server ends an idle session, and let the person stay signed in.
// The server decides when the session ends: at zero the page asks it, and goes to the sign-in page
// (which says why) only once the server says the session is over. Going there while the session is
// still live would count as activity and keep the person signed in with a fresh timer.
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
        if (!data.signed_in) { signedOut(); return; }
        left = data.seconds_left;
        if (left <= WARN_AT) { show(left); } else { warning.hidden = true; }
      })
      .catch(function () { /* offline: try again at the next poll */ })
      .then(function () {
        polling = false;
        // How many answers the page has had: a test waits for the first before it moves the clocks.
        body.setAttribute("data-session-polls", String(Number(body.getAttribute("data-session-polls") || 0) + 1));
      });
  }
  var leaving = false;
  function signedOut() {
    // The server has ended the session and put the reason on the sign-in page.
    if (leaving) { return; }
    leaving = true;
    window.location.assign(loginUrl);
  }
  function tick() {
    if (left === null || leaving) { return; }
    if (left > 0) { left -= 1; }
    if (left <= WARN_AT) { show(left); }
    // At zero, ask the server: it rounds up, so this zero never comes before its end.
    if (left <= 0) { poll(); }
  }
  stay.addEventListener("click", function () {
    fetch(extendUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function () { warning.hidden = true; poll(); });
  });
  poll();
  setInterval(poll, 30000);
  setInterval(tick, 1000);
})();
