// Live updates without reloads: short polls for server-rendered (escaped) fragments.
// No external scripts; nothing a person wrote is ever inserted except as server-escaped HTML.
(function () {
  "use strict";

  function poll(el, every, step) {
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      step().finally(function () { busy = false; });
    }, every);
  }

  var queue = document.getElementById("queue");
  if (queue) {
    poll(queue, Number(queue.dataset.every || 3000), function () {
      return fetch(queue.dataset.live, {credentials: "same-origin"}).then(function (r) {
        if (r.status === 401) { window.location = "/console/login"; return; }
        return r.text().then(function (html) { queue.innerHTML = html; });
      });
    });
  }

  var transcript = document.getElementById("transcript");
  if (transcript) {
    var lastId = function () {
      var items = transcript.querySelectorAll("li[data-id]");
      return items.length ? items[items.length - 1].dataset.id : "0";
    };
    transcript.scrollTop = transcript.scrollHeight;
    poll(transcript, 2000, function () {
      return fetch(transcript.dataset.live + "?after=" + lastId(), {credentials: "same-origin"}).then(function (r) {
        if (r.status === 401) { window.location = "/console/login"; return; }
        var status = r.headers.get("X-Case-Status");
        var box = document.getElementById("case");
        if (status && box && box.dataset.status !== status) {
          var label = document.getElementById("case-status");
          if (label) { label.textContent = status; }
        }
        return r.text().then(function (html) {
          if (html.trim()) {
            transcript.insertAdjacentHTML("beforeend", html);
            transcript.scrollTop = transcript.scrollHeight;
          }
        });
      });
    });
  }

  // The SMS cost of a reply, counted by the server with the same code the sender uses.
  var text = document.getElementById("reply-text");
  var segments = document.getElementById("segments");
  if (text && segments) {
    var timer = null;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = "/console/segments.json?channel=" + encodeURIComponent(segments.dataset.channel) +
          "&text=" + encodeURIComponent(text.value);
        fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (info) {
          segments.textContent = String(info.segments);
          document.getElementById("encoding").textContent = info.encoding;
        });
      }, 200);
    });
  }
})();
