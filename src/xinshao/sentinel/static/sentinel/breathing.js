/* Box breathing on the self-help page: breathe in, hold, out, rest, four seconds each, four rounds.
   The steps are always on the page as text; this script only adds a paced guide. The circle
   grows and shrinks with CSS transitions, which sentinel.css turns off for prefers-reduced-motion,
   so the guide then is the words and the count alone. No framework, no outside host. */
(function () {
  "use strict";

  var box = document.querySelector("[data-breathing]");
  if (!box) return;
  var seconds = parseInt(box.dataset.seconds, 10) || 4;
  var rounds = parseInt(box.dataset.rounds, 10) || 4;
  var phases = [
    { word: box.dataset.inhale, shape: "breath-in" },
    { word: box.dataset.hold, shape: "breath-in" },
    { word: box.dataset.exhale, shape: "breath-out" },
    { word: box.dataset.rest, shape: "breath-out" }
  ];
  var prompt = box.querySelector("[data-prompt]");
  var count = box.querySelector("[data-count]");
  var toggle = box.querySelector("[data-toggle]");
  var ready = prompt.textContent;
  var timer = null;
  var tick = 0;

  function show(phase) {
    box.classList.remove("breath-in", "breath-out");
    box.classList.add(phase.shape);
    box.style.setProperty("--breath-seconds", seconds + "s");
    prompt.textContent = phase.word;  // read out once per phase: counting aloud every second is noise
  }

  function stop(message) {
    clearInterval(timer);
    timer = null;
    box.classList.remove("breath-in", "breath-out", "running");
    count.textContent = "";
    toggle.textContent = box.dataset.start;
    toggle.setAttribute("aria-pressed", "false");
    prompt.textContent = message || ready;
  }

  function step() {
    var total = rounds * phases.length * seconds;
    if (tick >= total) {
      stop(box.dataset.done);
      return;
    }
    var second = tick % seconds;
    if (second === 0) show(phases[Math.floor(tick / seconds) % phases.length]);
    count.textContent = String(second + 1);
    tick += 1;
  }

  function start() {
    tick = 0;
    box.classList.add("running");
    toggle.textContent = box.dataset.stop;
    toggle.setAttribute("aria-pressed", "true");
    step();
    timer = setInterval(step, 1000);
  }

  toggle.addEventListener("click", function () {
    if (timer) stop(""); else start();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && timer) stop("");  // a guide that runs on unseen is no guide
  });
  box.hidden = false;
})();
