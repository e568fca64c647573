// Live updates without reloads: short polls for server-rendered (escaped) fragments.
// No external scripts; nothing a person wrote is ever inserted except as server-escaped HTML
// or as text (textContent).
(function () {
  "use strict";

  function poll(every, step) {
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      step().finally(function () { busy = false; });
    }, every);
  }

  function signedOut(r) {
    if (r.status === 401) { window.location = "/console/login"; return true; }
    return false;
  }

  // The queue: redrawn only when its cases changed, keeping the keyboard focus where it was
  // (the same button or link of the same case), and saying so to screen readers.
  var queue = document.getElementById("queue");
  if (queue) {
    var announce = document.getElementById("announce");
    var signature = function (root) {
      return Array.prototype.map.call(root.querySelectorAll("[data-case]"), function (row) {
        return row.dataset.case + "|" + row.className + "|" + row.textContent.replace(/\s+/g, " ");
      }).join("\n");
    };
    var focusKey = function () {
      var el = document.activeElement;
      if (!el || !queue.contains(el)) { return null; }
      var row = el.closest("[data-case]");
      return row ? {"case": row.dataset.case, "cls": el.className, "tag": el.tagName} : null;
    };
    poll(Number(queue.dataset.every || 3000), function () {
      return fetch(queue.dataset.live, {credentials: "same-origin"}).then(function (r) {
        if (signedOut(r)) { return; }
        return r.text().then(function (html) {
          var next = document.createElement("template");
          next.innerHTML = html;
          if (signature(next.content) === signature(queue)) { return; }
          var key = focusKey();
          queue.innerHTML = html;
          if (key) {
            var sel = "[data-case='" + key.case + "'] " + key.tag.toLowerCase();
            var same = Array.prototype.filter.call(queue.querySelectorAll(sel), function (el) {
              return el.className === key.cls;
            });
            if (same.length) { same[0].focus(); }
          }
          if (announce) { announce.textContent = queue.dataset.changed; }
        });
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
    poll(2000, function () {
      return fetch(transcript.dataset.live + "?after=" + lastId(), {credentials: "same-origin"}).then(function (r) {
        if (signedOut(r)) { return; }
        var status = r.headers.get("X-Case-Status");
        var box = document.getElementById("case");
        if (status && box && box.dataset.status !== status) {
          box.dataset.status = status;
          var label = document.getElementById("case-status");
          if (label) { label.textContent = decodeURIComponent(r.headers.get("X-Case-Status-Label") || status); }
        }
        // Delivery of what was sent: "waiting to go" becomes "delivered" in place.
        (r.headers.get("X-Delivery") || "").split(",").forEach(function (pair) {
          var parts = pair.split(":");
          var span = transcript.querySelector(".delivery[data-message='" + parts[0] + "']");
          if (span && parts[1] && span.dataset.status !== parts[1]) {
            span.dataset.status = parts[1];
            var words = document.getElementById("delivery-words");
            var known = words ? JSON.parse(words.textContent) : {};
            span.textContent = known[parts[1]] || parts[1];
          }
        });
        return r.text().then(function (html) {
          if (html.trim()) {
            transcript.insertAdjacentHTML("beforeend", html);
            transcript.scrollTop = transcript.scrollHeight;
            unanswered();
          }
        });
      });
    });

    // Whether the person's message is the last word: closing then asks to say so.
    var unanswered = function () {
      var block = document.getElementById("unanswered-block");
      var items = transcript.querySelectorAll("li[data-id]");
      if (!block || !items.length) { return; }
      var waiting = items[items.length - 1].classList.contains("in");
      block.hidden = !waiting;
      document.getElementById("anyway").required = waiting;
    };

    // Machine translation of one message, on request, shown under the original.
    transcript.addEventListener("click", function (event) {
      var button = event.target.closest("button.translate");
      if (!button) { return; }
      var out = button.nextElementSibling;
      button.disabled = true;
      fetch(transcript.dataset.translation + button.dataset.message + "/translation", {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (info) {
          out.hidden = false;
          out.textContent = info.text ? info.label + ": " + info.text : info.detail;
          if (info.text) { out.setAttribute("dir", "auto"); button.hidden = true; } else { button.disabled = false; }
        });
    });
  }

  var form = document.getElementById("reply-form");
  var text = document.getElementById("reply-text");
  var segments = document.getElementById("segments");

  // The SMS cost of a reply, counted by the server with the same code the sender uses.
  function count() {
    if (!segments) { return; }
    var url = "/console/segments.json?channel=" + encodeURIComponent(segments.dataset.channel) +
      "&text=" + encodeURIComponent(text.value);
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (info) {
      segments.textContent = String(info.segments);
      document.getElementById("encoding").textContent = info.encoding;
    });
  }

  if (form && text) {
    var timer = null;
    text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(count, 200); });
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });

    // A standard message goes into the reply box, in the person's language, to read and
    // edit before sending; what was typed stays, the template joins it at the cursor.
    var picker = document.getElementById("template");
    if (picker) {
      picker.addEventListener("change", function () {
        var code = picker.value;
        if (!code) { return; }
        fetch(picker.dataset.url + "?code=" + encodeURIComponent(code), {credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (info) {
            var start = text.selectionStart, end = text.selectionEnd, before = text.value.slice(0, start);
            var gap = before && !/\s$/.test(before) ? "\n" : "";
            text.value = before + gap + info.text + text.value.slice(end);
            var caret = (before + gap + info.text).length;
            text.setSelectionRange(caret, caret);
            document.getElementById("template-used").value = code;
            picker.value = "";
            text.focus();
            count();
          });
      });
    }
  }
})();
