/* The questionnaire: one question per screen. Every answer is kept on this device the moment
   it is given, saved to the server as a draft now and then (so the respondent can resume on
   another device), and the finished questionnaire is sent once, with an idempotency key kept
   on the device, so retries after a lost connection, a reload or a double tap store it once.
   No framework and no outside host: school networks are closed. */
(function () {
  "use strict";

  var DRAFT_INTERVAL_MS = 15000;  // drafts are a convenience; the device copy is the safety net
  var MAX_ITEM_SECONDS = 3600;    // one long absence must not make the time unusable
  var MAX_RETRY_MS = 30000;

  var root = document.getElementById("questionnaire");
  var config = JSON.parse(document.getElementById("respond-config").textContent);
  var text = config.text;
  var screens = Array.prototype.slice.call(root.querySelectorAll(".screen"));
  var statusLine = document.getElementById("save-status");
  var leaveForm = root.querySelector("[data-leave]");
  var reviewAt = screenIndex("review");
  var sentAt = screenIndex("sent");

  var state = loadState();
  var shownAt = null;
  var draftTimer = null;
  var draftDirty = false;
  var sending = false;
  var retryMs = 1000;
  var retryTimer = null;
  var settled = false;  // submitted or paused: this device must keep nothing more

  function screenIndex(name) {
    return screens.findIndex(function (screen) { return screen.dataset.screen === name; });
  }

  function say(message) {
    if (message && statusLine.textContent !== message) statusLine.textContent = message;
  }

  /* --- keeping answers on the device ------------------------------------------------------ */

  function emptyState() {
    var answers = {}, seconds = {};
    config.instruments.forEach(function (instrument) {
      answers[instrument.id] = new Array(instrument.items).fill(null);
      seconds[instrument.id] = new Array(instrument.items).fill(0);
    });
    return {answers: answers, seconds: seconds, position: 0, updated: 0, key: null, submitting: false};
  }

  function fits(saved) {
    // A saved copy is used only when it has exactly this battery's shape.
    return Boolean(saved && saved.answers && saved.seconds) && config.instruments.every(function (instrument) {
      var answers = saved.answers[instrument.id], seconds = saved.seconds[instrument.id];
      return Array.isArray(answers) && answers.length === instrument.items &&
        Array.isArray(seconds) && seconds.length === instrument.items;
    });
  }

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(config.storageKey)); } catch (error) { return null; }
  }

  function writeLocal() {
    if (settled) return false;
    try { window.localStorage.setItem(config.storageKey, JSON.stringify(state)); return true; } catch (error) { return false; }
  }

  function forgetLocal() {
    settled = true;
    try { window.localStorage.removeItem(config.storageKey); } catch (error) { /* nothing kept */ }
    if (window.caches) window.caches.delete(config.offlineCache);
  }

  function keepPageForOffline() {
    // Service workers run only on https or localhost; on a plain-http school network the device copy still holds every answer.
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register(config.offlineWorker).catch(function () { /* the page works without it */ });
    }
  }

  function loadState() {
    var local = readLocal(), server = config.draft, loaded = emptyState();
    if (fits(local) && local.submitting && local.key) return local;  // a send was under way: finish it as it was
    var newest = [local, server].filter(fits).sort(function (a, b) { return (b.updated || 0) - (a.updated || 0); })[0];
    if (newest) {
      loaded.answers = newest.answers;
      loaded.seconds = newest.seconds;
      loaded.position = newest.position || 0;
      loaded.updated = newest.updated || 0;
    }
    return loaded;
  }

  function remember() {
    state.updated = Date.now();
    if (writeLocal()) say(text.savedLocal);
    draftDirty = true;
    if (draftTimer === null) draftTimer = window.setTimeout(function () { draftTimer = null; saveDraft(false); }, DRAFT_INTERVAL_MS);
  }

  /* --- the server draft -------------------------------------------------------------------- */

  function post(url, body, keepalive) {
    return window.fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: Boolean(keepalive),
      headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)
    });
  }

  function saveDraft(leaving) {
    if (!draftDirty || state.submitting) return Promise.resolve(!draftDirty);
    draftDirty = false;
    var body = {token: config.token, answers: state.answers, seconds: state.seconds,
                position: state.position, updated: state.updated};
    return post(config.draftUrl, body, leaving).then(function (response) {
      if (!response.ok) throw new Error("draft not saved: " + response.status);
      say(text.savedServer);
      return true;
    }).catch(function () {
      draftDirty = true;
      say(navigator.onLine === false ? text.offline : text.savedLocal);
      return false;
    });
  }

  /* --- screens, answers and time ----------------------------------------------------------- */

  function questionOf(screen) {
    if (!screen.classList.contains("question")) return null;
    return {instrument: screen.dataset.instrument, index: Number(screen.dataset.index)};
  }

  function answerOf(question) {
    return state.answers[question.instrument][question.index];
  }

  var branching = {};
  config.instruments.forEach(function (instrument) { branching[instrument.id] = instrument.shownIf || {}; });

  function asked(question) {
    // An item with a "shown if" rule is asked when one of its items has one of the values, or was skipped.
    var rule = branching[question.instrument][question.index];
    if (!rule) return true;
    var answers = state.answers[question.instrument];
    return rule.items.some(function (index) {
      var value = answers[index];
      return value === null ? rule.missing : rule.values.indexOf(value) !== -1;
    });
  }

  function forgetUnasked() {
    // A question that is no longer asked (an earlier answer changed) is sent as "not asked" (null).
    screens.forEach(function (screen) {
      var question = questionOf(screen);
      if (question && !asked(question)) state.answers[question.instrument][question.index] = null;
    });
  }

  function skipsScreen(position) {
    var question = questionOf(screens[position]);
    return question !== null && !asked(question);
  }

  function nextShown(position, direction) {
    while (position > 0 && position < reviewAt && skipsScreen(position)) position += direction;
    return position;
  }

  function startTiming() {
    shownAt = document.visibilityState === "visible" && questionOf(screens[state.position]) ? performance.now() : null;
  }

  function stopTiming() {
    var question = questionOf(screens[state.position]);
    if (question && shownAt !== null) {
      var list = state.seconds[question.instrument];
      var spent = list[question.index] + (performance.now() - shownAt) / 1000;
      list[question.index] = Math.min(MAX_ITEM_SECONDS, Math.round(spent * 10) / 10);
    }
    shownAt = null;
  }

  function show(position, moveFocus) {
    stopTiming();
    state.position = position;
    screens.forEach(function (screen, index) { screen.hidden = index !== position; });
    var screen = screens[position], question = questionOf(screen);
    if (question) {
      var value = answerOf(question);
      screen.querySelectorAll("input[type=radio]").forEach(function (input) {
        input.checked = value !== null && Number(input.value) === value;
      });
      hideHint(screen);
    }
    if (position === reviewAt) summarise();
    startTiming();
    if (moveFocus) screen.querySelector("[tabindex='-1']").focus();
  }

  function go(position, direction) {
    show(nextShown(Math.max(0, Math.min(position, reviewAt)), direction || 1), true);
    remember();
  }

  function hideHint(screen) {
    var hint = screen.querySelector(".hint");
    if (hint) hint.hidden = true;
  }

  function firstSkipped() {
    return screens.findIndex(function (screen) {
      var question = questionOf(screen);
      return question !== null && asked(question) && answerOf(question) === null;
    });
  }

  function summarise() {
    var answered = 0, skipped = 0;
    screens.forEach(function (screen) {
      var question = questionOf(screen);
      if (!question || !asked(question)) return;
      if (answerOf(question) === null) skipped += 1; else answered += 1;
    });
    var review = screens[reviewAt];
    review.querySelector("[data-summary]").textContent =
      text.summary.replace("%(answered)s", answered).replace("%(skipped)s", skipped);
    review.querySelector("[data-action='first-skipped']").hidden = skipped === 0;
  }

  var actions = {
    next: function () {
      var screen = screens[state.position], question = questionOf(screen);
      if (question && answerOf(question) === null) {
        var hint = screen.querySelector(".hint");
        hint.textContent = text.chooseFirst;
        hint.hidden = false;
        return;
      }
      go(state.position + 1);
    },
    skip: function () { go(state.position + 1); },
    back: function () { go(state.position - 1, -1); },
    "first-skipped": function () { go(firstSkipped()); },
    submit: startSubmit
  };

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (button && actions[button.dataset.action]) actions[button.dataset.action]();
  });

  root.addEventListener("change", function (event) {
    var question = questionOf(screens[state.position]);
    if (event.target.type !== "radio" || !question) return;
    state.answers[question.instrument][question.index] = Number(event.target.value);
    forgetUnasked();
    hideHint(screens[state.position]);
    remember();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      stopTiming();
      writeLocal();
      saveDraft(true);
    } else {
      startTiming();
    }
  });

  /* --- submitting, once -------------------------------------------------------------------- */

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // Plain http on a school network is not a "secure context", and there randomUUID is missing.
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function startSubmit() {
    if (state.submitting) return;  // a double tap
    stopTiming();
    forgetUnasked();
    state.key = state.key || newKey();
    state.submitting = true;
    writeLocal();
    showSending();
    send();
  }

  function showSending() {
    leaveForm.hidden = true;
    show(sentAt, true);
  }

  function send() {
    if (sending) return;
    sending = true;
    window.clearTimeout(retryTimer);
    say(text.submitting);
    post(config.submitUrl, {token: config.token, key: state.key, answers: state.answers, seconds: state.seconds})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (reply) {
          return {status: response.status, reply: reply};
        });
      })
      .then(function (answer) {
        sending = false;
        if (answer.status === 200 || answer.reply.error === "already_submitted") return finished(answer.reply.next);
        if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) {
          return refused(answer.reply.message);
        }
        retry();
      }, function () {
        sending = false;
        retry();
      });
  }

  function retry() {
    say(text.retrying);
    retryTimer = window.setTimeout(send, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }

  function finished(next) {
    forgetLocal();  // a shared computer keeps nothing of this respondent
    var sent = screens[sentAt];
    sent.querySelector("h2").textContent = text.submitted;
    say(text.submitted);
    window.location.assign(next || config.doneUrl);
  }

  function refused(message) {
    var sent = screens[sentAt];
    sent.querySelector("[data-sent-message]").textContent = message || text.retrying;
    say(message);
  }

  window.addEventListener("online", function () {
    retryMs = 1000;
    if (state.submitting) send(); else saveDraft(false);
  });
  window.addEventListener("offline", function () { say(text.offline); });

  /* --- pausing ----------------------------------------------------------------------------- */

  leaveForm.addEventListener("submit", function (event) {
    event.preventDefault();
    stopTiming();
    draftDirty = true;
    saveDraft(false).then(function (saved) {
      if (saved) {
        forgetLocal();
        leaveForm.submit();
      } else {
        say(text.leaveOffline);
        startTiming();
      }
    });
  });

  /* --- start ------------------------------------------------------------------------------- */

  root.hidden = false;
  keepPageForOffline();
  if (state.submitting) {
    showSending();
    send();
  } else {
    show(nextShown(Math.max(0, Math.min(state.position, reviewAt)), 1), false);
    if (state.updated > ((config.draft && config.draft.updated) || 0)) remember();  // answers the server has not seen
  }
  if (navigator.onLine === false) say(text.offline);
}());
