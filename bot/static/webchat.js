// The web chat: one session per tab (sessionStorage, so closing the tab forgets it),
// replies rendered as text only (never as HTML), caseworker replies fetched every few seconds.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var offline = document.getElementById("offline");
  var slow = document.getElementById("slow");
  var lang = document.body.getAttribute("data-lang");
  var state = JSON.parse(sessionStorage.getItem("intake-chat") || "null");
  var lastId = 0;

  function save() { sessionStorage.setItem("intake-chat", JSON.stringify(state)); }

  function bubble(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.setAttribute("dir", "auto");
    div.textContent = text;  // text, never HTML: what anyone wrote is shown as written
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function show(replies) {
    (replies || []).forEach(function (reply) {
      if (reply.id <= lastId) { return; }
      lastId = reply.id;
      var div = bubble(reply.text, "bot");
      if (reply.options && reply.options.length) {
        var row = document.createElement("div");
        row.className = "options";
        reply.options.forEach(function (option) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = option.label;
          b.setAttribute("dir", "auto");
          b.addEventListener("click", function () {
            Array.prototype.forEach.call(row.querySelectorAll("button"), function (x) { x.disabled = true; });
            send(option.label, option.value);
          });
          row.appendChild(b);
        });
        div.appendChild(row);
      }
    });
  }

  function api(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (state) { headers.Authorization = "Bearer " + state.token; }
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        offline.hidden = true;
        if (r.status === 401) { sessionStorage.removeItem("intake-chat"); state = null; }
        if (!r.ok) {
          var failed = new Error("HTTP " + r.status);
          failed.wait = r.status === 429 ? Number(r.headers.get("Retry-After")) || 5 : 0;
          throw failed;
        }
        slow.hidden = true;
        return r.json();
      });
  }

  function start() {
    // The page's language is only a prior (the browser's, say): what the person writes decides,
    // unless they picked a language in the menu (?lang=).
    var chosen = new URLSearchParams(location.search).has("lang");
    return api("POST", "/api/chat/sessions", { language: lang, chosen: chosen }).then(function (data) {
      state = { id: data.session_id, token: data.token };
      save();
      show(data.replies);
    }).catch(function (failed) {
      if (failed.wait) { slow.hidden = false; } else { offline.hidden = false; }
      setTimeout(start, failed.wait ? failed.wait * 1000 : 3000);
    });
  }

  var queue = [];
  function send(text, value) {
    bubble(text, "me");
    queue.push({ text: text, value: value || null, client_id: String(Date.now()) + Math.random() });
    flush();
  }

  function flush() {
    if (!queue.length || !state) { return; }
    var item = queue[0];
    api("POST", "/api/chat/sessions/" + state.id + "/messages", item).then(function (data) {
      queue.shift();
      show(data.replies);
      flush();
    }).catch(function (failed) {
      // Kept in the queue and sent again; the same client_id makes the retry safe.
      if (failed.wait) { slow.hidden = false; } else { offline.hidden = false; }
      setTimeout(flush, failed.wait ? failed.wait * 1000 : 3000);
    });
  }

  function poll() {
    if (!state) { return; }
    api("GET", "/api/chat/sessions/" + state.id + "/messages?after=" + lastId).then(function (data) {
      show(data.replies);
    }).catch(function () {});
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  document.getElementById("language").addEventListener("change", function (e) {
    sessionStorage.removeItem("intake-chat");
    location.search = "?lang=" + encodeURIComponent(e.target.value);
  });

  document.getElementById("exit").addEventListener("click", function () {
    if (state) { api("POST", "/api/chat/sessions/" + state.id + "/messages", { text: "exit" }).catch(function () {}); }
    sessionStorage.clear();
    log.textContent = "";
    location.replace("about:blank");
  });

  if (state) { poll(); } else { start(); }
  setInterval(poll, 4000);
})();
