// Report what the course video has played, so the server can credit it and open the test.
// While playing: the interval played since the previous report, about every 10 s; also on pause, at
// the end, before a seek and when the page is left. When playing starts, an empty interval opens the
// server's clock (it credits no more than the time that really passed). Reports go one at a time, in order.
(function () {
  "use strict";
  var video = document.getElementById("course-video");
  if (!video) { return; }
  var url = video.getAttribute("data-progress-url");
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var resume = parseFloat(video.getAttribute("data-resume")) || 0;
  var EVERY_MS = 10000;
  var from = null;      // where the interval being played began (null: not playing)
  var last = 0;         // the last position seen while not seeking
  var timer = null;
  var queue = Promise.resolve();

  function show(data) {
    if (!data || typeof data.percent !== "number") { return; }
    var marks = document.querySelectorAll("[data-percent]");
    for (var i = 0; i < marks.length; i++) { marks[i].textContent = String(data.percent); }
    var bar = document.querySelector(".lms-video__bar");
    if (bar) { bar.value = data.percent; }
    if (data.unlocked) {
      var form = document.getElementById("start-test");
      var locked = document.getElementById("video-locked");
      if (form && form.hidden) { form.hidden = false; }
      if (locked) { locked.hidden = true; }
    }
  }
  function send(start, end) {
    var body = new URLSearchParams({ start: start.toFixed(2), end: end.toFixed(2) });
    queue = queue.then(function () {
      return fetch(url, {
        method: "POST", credentials: "same-origin", keepalive: true, body: body,
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(show).catch(function () { /* offline */ });
    });
  }
  function report(end) {
    if (from === null) { return; }
    if (end >= from) { send(from, end); }
    from = end;
  }
  function stop(end) {
    report(end);
    from = null;
    if (timer) { clearInterval(timer); timer = null; }
  }

  video.addEventListener("loadedmetadata", function () {
    if (resume > 0 && resume < video.duration - 1) { video.currentTime = resume; }
    last = video.currentTime;
  });
  video.addEventListener("timeupdate", function () { if (!video.seeking) { last = video.currentTime; } });
  video.addEventListener("playing", function () {
    if (from !== null) { return; }  // resumed after buffering: the interval goes on
    from = video.currentTime;
    last = from;
    send(from, from);
    timer = setInterval(function () { if (!video.seeking) { report(video.currentTime); } }, EVERY_MS);
  });
  video.addEventListener("pause", function () { stop(video.currentTime); });
  video.addEventListener("ended", function () { stop(video.duration || video.currentTime); });
  // A seek ends the interval where playing was; the next one begins where the seek lands.
  video.addEventListener("seeking", function () { report(last); if (from !== null) { from = null; } });
  video.addEventListener("seeked", function () {
    last = video.currentTime;
    if (!video.paused && timer) { from = video.currentTime; }
  });
  window.addEventListener("pagehide", function () { if (from !== null) { report(video.currentTime); } });
}());
