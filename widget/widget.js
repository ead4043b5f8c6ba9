/*
 * R & R Aesthetics chat widget: a launcher and chat panel that talk to the Rasa server's
 * socket.io channel. Embed with one tag (widget.css and vendor/socket.io.min.js are loaded
 * from beside this file):
 *
 *   <script>window.RRChatConfig = { serverUrl: "https://chat.example.com" };</script>
 *   <script src="/chat/widget.js" defer></script>
 *
 * Everything a visitor or the bot sends is put on the page with textContent/createElement,
 * never as HTML. See README.md for the options and the socket.io events used.
 */
(() => {
  "use strict";
  if (window.RRChat) return; // included twice

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const base = new URL(".", script ? script.src : location.href);
  const user = window.RRChatConfig || {};
  const cfg = {
    serverUrl: `${location.protocol}//${location.hostname || "localhost"}:5005`,
    socketPath: "/socket.io",
    title: "R & R Aesthetics",
    subtitle: "Questions about microneedling? Ask here.",
    greeting: "/greet", // sent (not shown) when a visitor opens a new conversation; false: none
    position: "right", // or "left"
    colors: {}, // primary, onPrimary, surface, text, botBubble, botText
    phone: undefined, // shown when the assistant can't be reached; default: from clinic.json
    privacyNotice: undefined, // shown before the first message; default: from clinic.json; false: none
    privacyUrl: undefined, // the clinic's privacy page, linked from the notice; default: from clinic.json
    clinicName: undefined,
    clinicInfoUrl: new URL("clinic.json", base).href,
    socketIoUrl: new URL("vendor/socket.io.min.js", base).href,
    cssUrl: new URL("widget.css", base).href,
    userEvent: "user_uttered",
    botEvent: "bot_uttered",
    storageKey: "rrchat",
    ...user,
  };

  // ------------------------------------------------------------------ storage
  // localStorage: the session id (the conversation follows the visitor across pages and
  // visits). sessionStorage (this tab): whether the panel is open, and messages typed
  // while offline that are not sent yet. The messages themselves come from the server.
  const storage = (area) => ({
    get(key) { try { return area().getItem(`${cfg.storageKey}.${key}`); } catch { return null; } },
    set(key, value) { try { area().setItem(`${cfg.storageKey}.${key}`, value); } catch { /* private mode */ } },
    remove(key) { try { area().removeItem(`${cfg.storageKey}.${key}`); } catch { /* private mode */ } },
  });
  const kept = storage(() => window.localStorage);
  const tab = storage(() => window.sessionStorage);

  // ------------------------------------------------------------------ DOM helpers
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value != null) node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  };

  const SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];
  const safeUrl = (href, protocols = SAFE_PROTOCOLS) => {
    try {
      const url = new URL(href, location.href);
      return protocols.includes(url.protocol) ? url.href : null;
    } catch { return null; }
  };

  // Markdown subset: **bold**, [text](url), bare http(s) links, line breaks, "- " lists.
  function inline(parent, text) {
    const pattern = /\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>]*[^\s<>.,;:!?)'"])/g;
    let last = 0;
    for (let m; (m = pattern.exec(text));) {
      parent.append(text.slice(last, m.index));
      if (m[1] !== undefined) {
        const strong = el("strong");
        inline(strong, m[1]);
        parent.append(strong);
      } else {
        const label = m[2] ?? m[4];
        const href = safeUrl(m[3] ?? m[4]);
        parent.append(href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: label }) : m[0]);
      }
      last = pattern.lastIndex;
    }
    parent.append(text.slice(last));
  }

  function markdown(parent, text) {
    let list = null;
    let para = null;
    for (const line of String(text).split(/\r?\n/)) {
      const item = /^\s*[-*•]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) parent.append((list = el("ul")));
        const li = el("li");
        inline(li, item[1]);
        list.append(li);
        para = null;
      } else if (!line.trim()) {
        list = para = null;
      } else {
        list = null;
        if (para) para.append(el("br"));
        else parent.append((para = el("p")));
        inline(para, line);
      }
    }
  }

  // ------------------------------------------------------------------ the widget
  const launcherLabel = el("span", { text: "Chat with us" });
  const launcher = el("button", {
    class: "rrchat-launcher", type: "button", "aria-expanded": "false", "aria-controls": "rrchat-panel",
  }, el("span", { class: "rrchat-launcher-icon", "aria-hidden": "true" }), launcherLabel);
  const closeButton = el("button", { class: "rrchat-icon-button", type: "button", "aria-label": "Close chat", text: "×" });
  const restartButton = el("button", { class: "rrchat-restart", type: "button", text: "Start over" });
  const status = el("div", { class: "rrchat-status", role: "status", hidden: true });
  const list = el("div", { class: "rrchat-messages", role: "log", "aria-label": "Conversation", "aria-live": "off" });
  const typing = el("div", { class: "rrchat-typing", hidden: true },
    el("span", { class: "rrchat-sr", text: "The assistant is typing" }), el("span", { "aria-hidden": "true" }),
    el("span", { "aria-hidden": "true" }), el("span", { "aria-hidden": "true" }));
  // The privacy notice heads every conversation: the visitor reads it before the first message.
  const notice = el("div", { class: "rrchat-notice", role: "note", hidden: true });
  const scroller = el("div", { class: "rrchat-scroll" }, notice, list, typing);
  const input = el("textarea", {
    id: "rrchat-input", class: "rrchat-input", rows: "1", maxlength: "2000", autocomplete: "off",
    placeholder: "Type your question…", enterkeyhint: "send",
  });
  const sendButton = el("button", { class: "rrchat-send", type: "submit", text: "Send" });
  const form = el("form", { class: "rrchat-form" },
    el("label", { class: "rrchat-sr", for: "rrchat-input", text: "Your message" }), input, sendButton);
  const announcer = el("div", { class: "rrchat-sr", "aria-live": "polite", "aria-atomic": "false" });
  const panel = el("section", {
    id: "rrchat-panel", class: "rrchat-panel", role: "dialog", "aria-labelledby": "rrchat-title", hidden: true,
  },
  el("header", { class: "rrchat-header" },
    el("div", { class: "rrchat-heading" },
      el("p", { id: "rrchat-title", class: "rrchat-title", text: cfg.title }),
      el("p", { class: "rrchat-subtitle", text: cfg.subtitle })),
    restartButton, closeButton),
  status, scroller, form, announcer);
  const root = el("div", { class: `rrchat rrchat--${cfg.position === "left" ? "left" : "right"}` }, panel, launcher);
  const colorVars = { primary: "--rrchat-primary", onPrimary: "--rrchat-on-primary", surface: "--rrchat-surface",
    text: "--rrchat-text", botBubble: "--rrchat-bot-bubble", botText: "--rrchat-bot-text" };
  for (const [name, value] of Object.entries(cfg.colors || {})) {
    if (colorVars[name]) root.style.setProperty(colorVars[name], String(value));
  }

  // ------------------------------------------------------------------ state
  let sessionId = kept.get("session");
  let socket = null;
  let ready = false; // connected, session confirmed and history shown
  let historyTimer = null;
  let typingTimer = null;
  let queue = [];
  try { queue = JSON.parse(tab.get("queue") || "[]").filter((m) => typeof m.payload === "string"); } catch { queue = []; }
  let clinic = { name: cfg.clinicName || cfg.title, phone: cfg.phone };

  const saveQueue = () => (queue.length
    ? tab.set("queue", JSON.stringify(queue.map(({ text, payload }) => ({ text, payload }))))
    : tab.remove("queue"));
  const scrollDown = () => { scroller.scrollTop = scroller.scrollHeight; };
  const messageCount = () => list.querySelectorAll(".rrchat-msg").length;
  const announce = (text) => {
    if (!text) return;
    announcer.append(el("p", { text }));
    while (announcer.childElementCount > 3) announcer.firstChild.remove();
  };

  function setTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) typingTimer = setTimeout(() => setTyping(false), 30000);
    scrollDown();
  }

  function addMessage(sender, build, extraClass = "") {
    const bubble = el("div", { class: "rrchat-bubble" },
      el("span", { class: "rrchat-sr", text: sender === "user" ? "You: " : "Assistant: " }));
    build(bubble);
    const row = el("div", { class: `rrchat-msg rrchat-msg--${sender} ${extraClass}`.trim() }, bubble);
    list.append(row);
    scrollDown();
    return row;
  }

  const addUserMessage = (text, pending) => addMessage("user", (bubble) => {
    bubble.append(el("span", { class: "rrchat-text", text }));
    if (pending) bubble.append(el("span", { class: "rrchat-pending", text: "Not sent yet: it will be sent when the connection is back." }));
  }, pending ? "rrchat-msg--pending" : "");

  const addNote = (text) => list.append(el("p", { class: "rrchat-note", text }));

  function closeReplies() {
    for (const button of list.querySelectorAll(".rrchat-reply:not([disabled])")) button.disabled = true;
  }

  function addBotMessage(message, { live = true } = {}) {
    const text = typeof message.text === "string" ? message.text : "";
    const replies = message.quick_replies || message.buttons || [];
    const src = message.image || (message.attachment && message.attachment.type === "image" &&
      message.attachment.payload && message.attachment.payload.src);
    const image = src ? safeUrl(src, ["http:", "https:"]) : null;
    if (!text.trim() && !image && !replies.length) return null;
    const row = addMessage("bot", (bubble) => {
      if (text.trim()) markdown(bubble, text);
      if (image) {
        const img = el("img", { class: "rrchat-image", src: image, alt: "Image from the assistant", loading: "lazy" });
        img.addEventListener("load", scrollDown);
        bubble.append(img);
      }
    });
    if (replies.length) {
      closeReplies(); // only the latest suggestions can be picked
      const group = el("div", { class: "rrchat-replies", role: "group", "aria-label": "Suggested replies" });
      for (const reply of replies) {
        const title = String(reply.title ?? reply.payload ?? "");
        const payload = String(reply.payload ?? reply.title ?? "");
        if (!title.trim() || !payload.trim()) continue;
        const button = el("button", { class: "rrchat-reply", type: "button", text: title, "data-payload": payload });
        button.addEventListener("click", () => {
          if (button.disabled) return;
          closeReplies();
          button.classList.add("rrchat-reply--chosen");
          button.setAttribute("aria-pressed", "true");
          send(title, payload);
          input.focus(); // the button is disabled now: keep focus in the panel
        });
        group.append(button);
      }
      row.append(group);
      scrollDown();
    }
    if (live) announce([text, replies.length ? `Suggested replies: ${replies.map((r) => r.title).join(", ")}` : ""].join(" ").trim());
    return row;
  }

  // The server's record of this conversation, sent after session_confirm ("history" event).
  function showHistory(messages) {
    list.replaceChildren();
    let lastReplies = null;
    for (const message of Array.isArray(messages) ? messages : []) {
      if (message.sender === "user") {
        if (typeof message.text !== "string" || !message.text.trim()) continue;
        if (lastReplies) {
          const chosen = [...lastReplies.querySelectorAll(".rrchat-reply")].find((b) => b.textContent === message.text);
          if (chosen) { chosen.classList.add("rrchat-reply--chosen"); chosen.setAttribute("aria-pressed", "true"); }
        }
        closeReplies();
        lastReplies = null;
        addUserMessage(message.text, false);
      } else if (message.sender === "bot") {
        const row = addBotMessage(message, { live: false });
        if (row && row.querySelector(".rrchat-replies")) lastReplies = row;
      }
    }
    for (const item of queue) item.row = addUserMessage(item.text, true);
    if (messageCount()) announce("Earlier messages restored.");
  }

  // ------------------------------------------------------------------ sending
  function emit(payload) {
    socket.emit(cfg.userEvent, { message: payload, session_id: sessionId });
    setTyping(true);
  }

  // Show `text` as the visitor's message and send `payload` (the same, or a button's payload).
  function send(text, payload = text) {
    if (typeof payload !== "string" || !payload.trim() || typeof text !== "string" || !text.trim()) return false;
    closeReplies();
    if (ready) {
      addUserMessage(text, false);
      emit(payload);
    } else {
      const item = { text, payload };
      queue.push(item);
      saveQueue();
      item.row = addUserMessage(text, true);
      announce("You're offline: your message will be sent when the connection is back.");
    }
    return true;
  }

  function flushQueue() {
    const waiting = queue;
    queue = [];
    saveQueue();
    for (const item of waiting) {
      if (item.row) {
        item.row.classList.remove("rrchat-msg--pending");
        item.row.querySelector(".rrchat-pending")?.remove();
      } else {
        addUserMessage(item.text, false);
      }
      emit(item.payload);
    }
  }

  function maybeGreet() {
    if (!ready || panel.hidden || !cfg.greeting || messageCount() || kept.get("greeted") === sessionId) return;
    kept.set("greeted", sessionId);
    emit(String(cfg.greeting));
  }

  // ------------------------------------------------------------------ connection
  function showOffline() {
    const children = [el("strong", { text: "We can't reach the assistant right now. " }),
      el("span", { text: "Reconnecting… " })];
    if (clinic.phone) {
      const tel = safeUrl(`tel:${String(clinic.phone).replace(/[^\d+]/g, "")}`);
      children.push(el("span", { text: `To talk to someone, call ${clinic.name || cfg.title} at ` }),
        tel ? el("a", { href: tel, text: clinic.phone }) : el("span", { text: clinic.phone }), ".");
    } else {
      children.push(el("span", { text: "Please try again later." }));
    }
    status.replaceChildren(...children);
    status.hidden = false;
    root.classList.add("rrchat--offline");
  }

  function showOnline() {
    if (status.hidden) return;
    status.replaceChildren();
    status.hidden = true;
    root.classList.remove("rrchat--offline");
    announce("Connected again.");
  }

  function goOffline() {
    ready = false;
    clearTimeout(historyTimer);
    setTyping(false);
    showOffline();
  }

  function sessionReady() {
    clearTimeout(historyTimer);
    if (ready) return;
    ready = true;
    flushQueue();
    maybeGreet();
  }

  function showNotice(text, href) {
    if (!text) return;
    const link = href ? safeUrl(href, ["http:", "https:"]) : null;
    notice.replaceChildren(el("span", { text: String(text) }));
    if (link) {
      notice.append(" ", el("a", { href: link, target: "_blank", rel: "noopener", text: "Privacy policy" }));
    }
    notice.hidden = false;
  }

  function loadClinicInfo() {
    if (cfg.privacyNotice) showNotice(cfg.privacyNotice, cfg.privacyUrl);
    if (!cfg.clinicInfoUrl) return;
    fetch(cfg.clinicInfoUrl, { cache: "no-store" })
      .then((response) => (response.ok ? response.json() : {}))
      .then((info) => {
        const privacy = info.privacy || {};
        if (cfg.phone === undefined) clinic = { name: cfg.clinicName || info.name || cfg.title, phone: info.phone || null };
        if (cfg.privacyNotice === undefined) showNotice(privacy.notice, cfg.privacyUrl || privacy.url);
        if (!status.hidden) showOffline();
      })
      .catch(() => {});
  }

  function loadSocketIo() {
    if (window.io) return Promise.resolve(window.io);
    return new Promise((resolve, reject) => {
      const tag = el("script", { src: cfg.socketIoUrl });
      tag.onload = () => resolve(window.io);
      tag.onerror = () => reject(new Error(`could not load ${cfg.socketIoUrl}`));
      document.head.append(tag);
    });
  }

  function connect() {
    if (socket) return;
    socket = {}; // connecting
    loadClinicInfo();
    loadSocketIo().then((io) => {
      socket = io(cfg.serverUrl, {
        path: cfg.socketPath,
        transports: ["websocket"], // no long-polling: no CORS or sticky-session set-up needed
        reconnectionDelay: 1000, // then 2 s, 4 s, ... up to 10 s, with jitter, for as long as it takes
        reconnectionDelayMax: 10000,
        randomizationFactor: 0.3,
        timeout: 8000,
      });
      socket.on("connect", () => {
        ready = false;
        socket.emit("session_request", { session_id: sessionId || null });
        if (sessionId) historyTimer = setTimeout(sessionReady, 4000); // a server without history
      });
      socket.on("session_confirm", (confirmed) => {
        const id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
        if (!id) return;
        const resumed = id === sessionId;
        sessionId = id;
        kept.set("session", id);
        showOnline();
        if (!resumed) sessionReady(); // a new conversation: no history to wait for
      });
      socket.on("history", (messages) => {
        showHistory(messages);
        sessionReady();
      });
      socket.on(cfg.botEvent, (message) => {
        setTyping(false);
        if (message && typeof message === "object") addBotMessage(message);
      });
      socket.on("error", (problem) => {
        setTyping(false);
        const code = problem && problem.code;
        addNote(code === 503 ? "Sorry, the assistant couldn't answer that just now. Please try again."
          : "Sorry, that message couldn't be sent.");
      });
      socket.on("connect_error", goOffline);
      socket.on("disconnect", (reason) => {
        ready = false;
        if (reason === "io client disconnect") return; // "start over" reconnects at once
        goOffline();
        if (reason === "io server disconnect") socket.connect(); // the client must reconnect itself then
      });
    }).catch(() => { socket = null; showOffline(); });
  }

  // ------------------------------------------------------------------ open, close, start over
  function open({ focus = true } = {}) {
    panel.hidden = false;
    root.classList.add("rrchat--open");
    launcher.setAttribute("aria-expanded", "true");
    launcherLabel.textContent = "Close chat";
    tab.set("open", "1");
    if (focus) input.focus();
    scrollDown();
    if (!socket) connect();
    else maybeGreet();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("rrchat--open");
    launcher.setAttribute("aria-expanded", "false");
    launcherLabel.textContent = "Chat with us";
    tab.remove("open");
    launcher.focus();
  }

  function startOver() {
    list.replaceChildren();
    queue = [];
    saveQueue();
    setTyping(false);
    sessionId = null;
    kept.remove("session");
    kept.remove("greeted");
    announce("Started a new conversation.");
    if (socket && socket.connected) {
      socket.disconnect(); // a new socket: out of the old conversation's room
      socket.connect();
    }
    input.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", startOver);
  document.addEventListener("keydown", (event) => {
    const focus = document.activeElement;
    if (event.key === "Escape" && !panel.hidden && (root.contains(focus) || !focus || focus === document.body)) {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text && send(text)) {
      input.value = "";
      input.style.height = "";
    }
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "";
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  });

  // ------------------------------------------------------------------ start
  function start() {
    document.head.append(el("link", { rel: "stylesheet", href: cfg.cssUrl }));
    document.body.append(root);
    for (const item of queue) item.row = addUserMessage(item.text, true);
    if (tab.get("open") === "1") open({ focus: false });
    else if (sessionId || queue.length) connect(); // a returning visitor: have the history ready
  }

  window.RRChat = { open, close, startOver, config: cfg, markdown };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
