// minigan lab: the page is a view and a remote control; the training runs in Python.
// It listens to /api/events (Server-Sent Events: a "run" when a run starts, a "frame" per picture) and
// sends commands as JSON to /api/<command>. Written for this page; no library, nothing from the network.
"use strict";

const $ = (id) => document.getElementById(id);
const COLORS = { real: "#1a9850", fake: "#7b3294", pull: "#e66101", manifold: "#2b6cb0", drawn: "#111" };
const SERIES_COLORS = ["#7b3294", "#1a9850", "#e66101", "#2b6cb0", "#b2182b", "#666"];
const ONLY = ["only-gan", "only-wgan", "only-wgan-gp", "only-began"];

// Everything the page knows; tests read it as window.lab.
const lab = {
  run: null, frame: null, losses: {}, frames: 0, fps: 0, errors: 0, lastError: "", presets: [],
  drawn: [], csv: null, connected: false,
};
window.lab = lab;

// ---------------------------------------------------------------- talking to the server
function decode(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function say(text, kind) {
  const box = $("message");
  box.textContent = text || "";
  box.className = text ? (kind || "info") : "";
  if (kind === "error") { lab.errors += 1; lab.lastError = text; }
}

async function send(command, body) {
  let reply;
  try {
    const res = await fetch("/api/" + command, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
    });
    reply = await res.json();
  } catch (e) {
    say("the lab does not answer: is python -m minigan lab still running?", "error");
    return null;
  }
  if (reply.error) { say(reply.error, "error"); return null; }
  return reply.result === undefined ? {} : reply.result;
}

function connect() {
  const events = new EventSource("/api/events");
  events.addEventListener("run", (e) => onRun(JSON.parse(e.data)));
  events.addEventListener("frame", (e) => onFrame(JSON.parse(e.data)));
  events.onopen = () => { lab.connected = true; };
  events.onerror = () => { lab.connected = false; };
}

// ---------------------------------------------------------------- a run starts: its settings and view
function onRun(state) {
  lab.run = state;
  lab.run.realXY = decode(state.real);
  lab.losses = {};
  lab.frame = null;
  if (state.presets && !lab.presets.length) {
    fillPresets(state.presets);
    const wanted = new URLSearchParams(window.location.search).get("preset");  // a lesson's link: ?preset=ID
    const i = lab.presets.findIndex((p) => p.id === wanted);
    if (i >= 0) { $("preset").value = String(i); $("preset").dispatchEvent(new Event("change")); }
  }
  fillControls(state);
  showPreset(state.settings);
  $("steps").textContent = state.steps;
  $("heat-label").textContent = state.heat_kind;
  showCommand(state.command);
  showEval(state.evals.length ? state.evals[state.evals.length - 1] : null);
  $("eval-note").textContent = state.metrics
    ? `Measured on 2,500 samples at the steps train measures (every ${state.eval_every}); before the first, ` +
      "≈ marks an estimate from the points shown."
    : "Mode metrics are for ring and grid data; your own points have none.";
  refreshRuns();
  updateTextView(true);
}

function fillControls(state) {
  const cfg = state.config, algorithm = cfg.algorithm;
  const data = String(cfg.data);
  const kind = data === "points" ? "points" : data.split(":")[0];
  $("data-kind").value = kind;
  if (kind !== "points") $("data-k").value = data.includes(":") ? data.split(":")[1] : (kind === "ring" ? 8 : 5);
  $("points-box").hidden = kind !== "points";
  $("data-k").hidden = kind === "points";
  $("algorithm").value = algorithm;
  $("seed").value = cfg.seed;
  $("steps-in").value = state.steps;
  $("batch_size").value = cfg.batch_size;
  $("pack").value = cfg.pack || 1;
  $("d_lr_ratio").value = cfg.d_lr_ratio ?? "";
  $("instance_noise").value = cfg.instance_noise ?? "";
  $("r1").value = cfg.r1 ?? "";
  $("prior").value = cfg.prior || "normal";
  $("eval_every").value = state.eval_every;
  for (const name of ["optimizer", "lr", "loss", "k", "n_critic", "clip", "lam", "gamma", "lambda_k"]) {
    if (cfg[name] !== undefined) $(name).value = cfg[name];
  }
  showFor(algorithm);
}

function showFor(algorithm) {
  for (const cls of ONLY) {
    for (const el of document.getElementsByClassName(cls)) {
      el.hidden = !Array.from(el.classList).some((c) => c === "only-" + algorithm);
    }
  }
}

function showCommand(command) {
  $("command").textContent = command ? command.fresh : "";
  const notes = $("command-notes");
  notes.textContent = "";
  for (const note of (command ? command.notes : [])) {
    const li = document.createElement("li");
    li.textContent = note;
    notes.appendChild(li);
  }
}

function showEval(ev) {
  lab.eval = ev;
  if (!ev) { $("m-modes").textContent = $("m-hq").textContent = $("m-rkl").textContent = "–"; $("eval-step").textContent = ""; return; }
  const mark = ev.estimate ? "≈ " : "";  // an estimate from the frame's shown points until the full measure
  $("m-modes").textContent = `${mark}${ev.modes_covered} / ${ev.num_modes}`;
  $("m-hq").textContent = mark + (100 * ev.high_quality).toFixed(1) + " %";
  $("m-rkl").textContent = mark + ev.reverse_kl.toFixed(3);
  $("eval-step").textContent = ev.estimate
    ? `(estimate at step ${ev.step}, from the ${ev.num_samples} points shown; measured at step ${lab.run ? lab.run.eval_every : "?"})`
    : `(step ${ev.step})`;
}

// ---------------------------------------------------------------- the run in words (the text view)
// What the pictures show, in numbers: written at every frame from the frame the panels show (one snapshot: the
// words never lag the metrics), and read out by a screen reader from a hidden aria-live copy made at most every
// few seconds and at each new evaluation, so that it is not a stream of interruptions.
function smoothedLast(key) {
  const raw = lab.losses[key] || [];
  let m = null;
  for (let i = Math.max(0, raw.length - 200); i < raw.length; i++) {
    if (raw[i] !== null) m = m === null ? raw[i] : 0.9 * m + 0.1 * raw[i];
  }
  return m;
}

function heatSummary(run, f) {
  const n = run.heat_size, [x0, x1, y0, y1] = run.bounds;
  const at = (i) => [x0 + ((i % n) + 0.5) / n * (x1 - x0), y0 + (Math.floor(i / n) + 0.5) / n * (y1 - y0)];
  let hi = 0, lo = 0, above = 0, sum = 0;
  const middle = run.heat_kind === "D(x)" ? 0.5 : (f.heat_min + f.heat_max) / 2;
  for (let i = 0; i < f.heatV.length; i++) {
    const v = f.heatV[i];
    if (v > f.heatV[hi]) hi = i;
    if (v < f.heatV[lo]) lo = i;
    if (v > middle) above += 1;
    sum += v;
  }
  const p = (xy) => `(${xy[0].toFixed(1)}, ${xy[1].toFixed(1)})`;
  const name = run.heat_kind === "D(x)" ? "D(x), the probability D gives a point of being real," : run.heat_kind;
  return `Heat map: ${name} ranges from ${f.heat_min.toPrecision(3)} at ${p(at(lo))} to ${f.heat_max.toPrecision(3)} ` +
    `at ${p(at(hi))}, mean ${(sum / f.heatV.length).toPrecision(3)}; ${Math.round(100 * above / f.heatV.length)}% ` +
    `of the plane is above ${middle.toPrecision(3)}${run.heat_kind === "D(x)" ? " (looks real to D)" : ""}.`;
}

function describeRun() {
  const run = lab.run, f = lab.frame;
  if (!run || !f) return "No run yet.";
  const parts = [`Step ${f.step} of ${f.steps}, ${f.playing ? "playing" : "paused"}; ${run.config.algorithm} on ${run.config.data}, learning rate ${f.lr_now.toPrecision(3)}.`];
  const keys = Object.keys(lab.losses).filter((k) => k !== "step");
  const said = keys.map((k) => [k, smoothedLast(k)]).filter(([, v]) => v !== null);
  if (said.length) parts.push("Losses (smoothed): " + said.map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(", ") + ".");
  const ev = lab.eval;
  if (ev) {
    parts.push(`${ev.estimate ? "Estimated from the " + ev.num_samples + " points shown" : "Measured at step " + ev.step + " on " + ev.num_samples + " samples"}: ` +
      `${ev.modes_covered} of ${ev.num_modes} modes covered, ${(100 * ev.high_quality).toFixed(1)}% of the generated points ` +
      `within 3σ of a mode, reverse KL ${ev.reverse_kl.toFixed(3)}.`);
  } else if (!run.metrics) {
    parts.push("Your own points have no modes to count.");
  }
  let mx = 0, my = 0;
  const m = f.fakeXY.length / 2;
  for (let i = 0; i < f.fakeXY.length; i += 2) { mx += f.fakeXY[i]; my += f.fakeXY[i + 1]; }
  parts.push(`${m} generated points shown, centred at (${(mx / m).toFixed(2)}, ${(my / m).toFixed(2)}); the longest pull on them is ${f.pull_max.toExponential(2)}.`);
  parts.push(heatSummary(run, f));
  return parts.join(" ");
}

let lastSpoken = 0, lastEvalStep = null;
function updateTextView(force) {
  const now = performance.now(), evStep = lab.eval && !lab.eval.estimate ? lab.eval.step : null;
  const text = describeRun();
  if (text !== $("text-view").textContent) $("text-view").textContent = text;
  if (!force && now - lastSpoken < 5000 && evStep === lastEvalStep && !(lab.frame && !lab.frame.playing)) return;
  if (text !== $("text-spoken").textContent) $("text-spoken").textContent = text;
  lastSpoken = now; lastEvalStep = evStep;
}

// ---------------------------------------------------------------- a frame: numbers, then pictures
let fpsCount = 0, fpsSince = performance.now();
setInterval(() => {  // frames that arrived over the last second or so (0 while paused)
  const now = performance.now();
  lab.fps = fpsCount * 1000 / (now - fpsSince);
  fpsCount = 0; fpsSince = now;
  $("fps").textContent = lab.fps.toFixed(lab.fps < 10 ? 1 : 0);
}, 1000);
function onFrame(msg) {
  const f = msg.frame;
  f.fakeXY = decode(f.fake); f.pullXY = decode(f.pull); f.heatV = decode(f.heat); f.gridXY = decode(f.manifold);
  lab.frame = f;
  lab.frames += 1;
  for (const [key, values] of Object.entries(msg.losses)) {
    if (!lab.losses[key]) lab.losses[key] = [];
    for (const v of values) lab.losses[key].push(v);
  }
  fpsCount += 1;
  $("stepno").textContent = f.step;
  $("steps").textContent = f.steps;
  if (document.activeElement !== $("last-step") && Number($("last-step").dataset.steps) !== f.steps) {
    $("last-step").value = $("last-step").dataset.steps = f.steps;
  }
  $("lrnow").textContent = f.lr_now.toPrecision(3);
  const play = $("play");
  play.textContent = f.playing ? "❚❚ Pause" : "▶ Play";
  play.classList.toggle("playing", f.playing);
  if (f.message && f.message !== lab.lastMessage) say(f.message, f.message.startsWith("training diverged") ? "error" : "info");
  lab.lastMessage = f.message;
  showEval(f.eval);
  updateTextView(false);
  requestDraw();
}

let drawQueued = false;
function requestDraw() {
  if (!drawQueued) { drawQueued = true; requestAnimationFrame(() => { drawQueued = false; drawPlane(); drawLosses(); }); }
}

// ---------------------------------------------------------------- the plane
const plane = $("plane");
const heatCanvas = document.createElement("canvas");

function toPx(run, x, y, size) {
  const [x0, x1, y0, y1] = run.bounds;
  return [(x - x0) / (x1 - x0) * size, (1 - (y - y0) / (y1 - y0)) * size];
}

function heatColor(t) {  // 0 = fake-looking (purple), ½ = undecided (white), 1 = real-looking (green)
  t = Math.min(1, Math.max(0, t));
  const a = [142, 95, 168], w = [255, 255, 255], b = [58, 166, 106];
  const [p, q, s] = t < 0.5 ? [a, w, t * 2] : [w, b, (t - 0.5) * 2];
  return [0, 1, 2].map((i) => Math.round(p[i] + (q[i] - p[i]) * s));
}

function drawHeat(ctx, run, f, size) {
  const n = run.heat_size, img = new ImageData(n, n);
  const lo = f.heat_min, hi = f.heat_max, prob = run.heat_kind === "D(x)";
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const v = f.heatV[r * n + c];
      const t = prob ? v : (hi > lo ? (v - lo) / (hi - lo) : 0.5);
      const [R, G, B] = heatColor(t);
      const o = ((n - 1 - r) * n + c) * 4;  // row 0 is the bottom of the plane
      img.data[o] = R; img.data[o + 1] = G; img.data[o + 2] = B; img.data[o + 3] = 255;
    }
  }
  heatCanvas.width = heatCanvas.height = n;
  heatCanvas.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.globalAlpha = 0.85;
  ctx.drawImage(heatCanvas, 0, 0, size, size);
  ctx.globalAlpha = 1;
}

function dots(ctx, run, xy, color, radius, size) {
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let i = 0; i < xy.length; i += 2) {
    const [px, py] = toPx(run, xy[i], xy[i + 1], size);
    ctx.moveTo(px + radius, py);
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
  }
  ctx.fill();
}

function drawPull(ctx, run, f, size) {
  const longest = 0.07 * size, scale = f.pull_max > 0 ? longest / f.pull_max : 0;
  ctx.strokeStyle = COLORS.pull;
  ctx.lineWidth = 1.4 * size / 640;
  ctx.beginPath();
  for (let i = 0; i < f.pullXY.length; i += 2) {  // the pull on the first fakes (the server sends as many)
    const [px, py] = toPx(run, f.fakeXY[i], f.fakeXY[i + 1], size);
    const dx = f.pullXY[i] * scale, dy = -f.pullXY[i + 1] * scale, len = Math.hypot(dx, dy);
    ctx.moveTo(px, py); ctx.lineTo(px + dx, py + dy);
    if (len > 6) {  // an arrow head
      const ux = dx / len, uy = dy / len, hx = px + dx, hy = py + dy, a = 0.35 * Math.min(len, 14);
      ctx.moveTo(hx, hy); ctx.lineTo(hx - a * (ux - 0.5 * uy), hy - a * (uy + 0.5 * ux));
      ctx.moveTo(hx, hy); ctx.lineTo(hx - a * (ux + 0.5 * uy), hy - a * (uy - 0.5 * ux));
    }
  }
  ctx.stroke();
}

function drawManifold(ctx, run, f, size) {
  const n = run.manifold, xy = f.gridXY;
  ctx.strokeStyle = COLORS.manifold;
  ctx.lineWidth = 1.2 * size / 640;
  ctx.globalAlpha = 0.8;
  ctx.beginPath();
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const i = (a * n + b) * 2, [px, py] = toPx(run, xy[i], xy[i + 1], size);
      if (b + 1 < n) { const [qx, qy] = toPx(run, xy[i + 2], xy[i + 3], size); ctx.moveTo(px, py); ctx.lineTo(qx, qy); }
      if (a + 1 < n) { const j = i + 2 * n, [qx, qy] = toPx(run, xy[j], xy[j + 1], size); ctx.moveTo(px, py); ctx.lineTo(qx, qy); }
    }
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawPlane() {
  const run = lab.run, f = lab.frame;
  const ratio = window.devicePixelRatio || 1, size = Math.round(plane.clientWidth * ratio) || 640;
  if (plane.width !== size) { plane.width = plane.height = size; }
  const ctx = plane.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, size, size);
  if (!run) return;
  const r = Math.max(1.5, 2.6 * size / 640);
  if (f && $("show-heat").checked) drawHeat(ctx, run, f, size);
  if (run.modes.length) {  // the true centres, as small rings
    ctx.strokeStyle = "rgba(0,0,0,0.35)"; ctx.lineWidth = 1;
    for (const [x, y] of run.modes) { const [px, py] = toPx(run, x, y, size); ctx.beginPath(); ctx.arc(px, py, 2.2 * r, 0, 2 * Math.PI); ctx.stroke(); }
  }
  if (f && $("show-manifold").checked) drawManifold(ctx, run, f, size);
  if ($("show-real").checked) dots(ctx, run, run.realXY, COLORS.real, r, size);
  if (f && $("show-pull").checked) drawPull(ctx, run, f, size);
  if (f && $("show-fake").checked) dots(ctx, run, f.fakeXY, COLORS.fake, r, size);
  if ($("data-kind").value === "points" && lab.drawn.length) dots(ctx, run, lab.drawn.flat(), COLORS.drawn, r * 1.2, size);
  if ($("data-kind").value === "points" && lab.cursor) {  // the keyboard's cross
    const [px, py] = toPx(run, lab.cursor[0], lab.cursor[1], size), a = 10 * size / 640;
    ctx.strokeStyle = COLORS.drawn; ctx.lineWidth = 2; ctx.beginPath();
    ctx.moveTo(px - a, py); ctx.lineTo(px + a, py); ctx.moveTo(px, py - a); ctx.lineTo(px, py + a); ctx.stroke();
  }
  drawAxes(ctx, run, size);
  if (f) {
    const kind = run.heat_kind;
    const range = kind === "D(x)" ? "0 (fake) → 1 (real)" : `${f.heat_min.toPrecision(3)} → ${f.heat_max.toPrecision(3)}`;
    $("legend").textContent = `heat map: ${kind}, ${range} · arrows: −∇ₓ of G's loss at each generated point, ` +
      `longest = ${f.pull_max.toExponential(2)}`;
  }
}

function drawAxes(ctx, run, size) {
  const [x0, x1, y0, y1] = run.bounds;
  ctx.fillStyle = "#333";
  ctx.font = `${Math.round(13 * size / 640)}px system-ui, sans-serif`;
  ctx.fillText(`x ∈ [${x0.toFixed(1)}, ${x1.toFixed(1)}]  y ∈ [${y0.toFixed(1)}, ${y1.toFixed(1)}]`, 8, size - 8);
}

// ---------------------------------------------------------------- the losses
const lossCanvas = $("losses");
function drawLosses() {
  const ctx = lossCanvas.getContext("2d"), W = lossCanvas.width, H = lossCanvas.height;
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
  const steps = lab.losses.step || [];
  const keys = Object.keys(lab.losses).filter((k) => k !== "step");
  if (steps.length < 2) return;
  const pad = 38, w = W - pad - 6, h = H - 24;
  const smooth = {};
  let lo = Infinity, hi = -Infinity;
  for (const key of keys) {  // exponential moving average (0.9), sampled at most once per pixel
    const raw = lab.losses[key], out = [];
    let m = null;
    const every = Math.max(1, Math.floor(raw.length / w));
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (v === null) continue;
      m = m === null ? v : 0.9 * m + 0.1 * v;
      if (i % every === 0 || i === raw.length - 1) { out.push([steps[i], m]); lo = Math.min(lo, m); hi = Math.max(hi, m); }
    }
    smooth[key] = out;
  }
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  const s0 = steps[0], s1 = steps[steps.length - 1];
  const X = (s) => pad + (s - s0) / Math.max(1, s1 - s0) * w, Y = (v) => 6 + (1 - (v - lo) / (hi - lo)) * (h - 6);
  ctx.strokeStyle = "#ccc"; ctx.beginPath(); ctx.moveTo(pad, 6); ctx.lineTo(pad, h); ctx.lineTo(W - 6, h); ctx.stroke();
  ctx.fillStyle = "#444"; ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(hi.toPrecision(3), 2, 14); ctx.fillText(lo.toPrecision(3), 2, h);
  ctx.fillText(`step ${s0}`, pad, H - 6); ctx.fillText(`${s1}`, W - 40, H - 6);
  const legend = $("loss-keys");
  legend.textContent = "";
  keys.forEach((key, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
    smooth[key].forEach(([s, v], j) => (j ? ctx.lineTo(X(s), Y(v)) : ctx.moveTo(X(s), Y(v))));
    ctx.stroke();
    const span = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = color;
    span.appendChild(swatch);
    span.appendChild(document.createTextNode(key));
    legend.appendChild(span);
  });
}

// ---------------------------------------------------------------- controls
function numberOrNull(id) {
  const text = $(id).value.trim();
  if (text === "") return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : text;  // the server names what is wrong with a value it cannot use
}

function runSettings() {
  const kind = $("data-kind").value, algorithm = $("algorithm").value;
  const s = {
    algorithm, data: kind === "points" ? "points" : `${kind}:${$("data-k").value.trim()}`,
    seed: numberOrNull("seed"), steps: numberOrNull("steps-in"), batch_size: numberOrNull("batch_size"),
    eval_every: numberOrNull("eval_every"), optimizer: $("optimizer").value, lr: numberOrNull("lr"),
    prior: $("prior").value,
  };
  if (algorithm === "gan") { s.loss = $("loss").value; s.k = numberOrNull("k"); s.pack = numberOrNull("pack");
    s.d_lr_ratio = numberOrNull("d_lr_ratio"); s.instance_noise = numberOrNull("instance_noise");
    s.r1 = numberOrNull("r1"); }
  if (algorithm === "wgan") { s.n_critic = numberOrNull("n_critic"); s.clip = numberOrNull("clip"); }
  if (algorithm === "wgan-gp") { s.n_critic = numberOrNull("n_critic"); s.lam = numberOrNull("lam"); }
  if (algorithm === "began") { s.gamma = numberOrNull("gamma"); s.lambda_k = numberOrNull("lambda_k"); }
  return s;
}

async function newRun(settings, again) {
  const body = { settings };
  if (settings.data === "points" && !again) {  // again: the server keeps the run's points
    if (lab.csv !== null) body.csv = lab.csv; else body.points = lab.drawn;
  }
  say("building the run…");
  const r = await send("reset", body);
  if (r) say("");
}

function canonical(settings) {  // JSON with sorted keys and without the seed, to compare settings
  return JSON.stringify(Object.keys(settings).filter((k) => k !== "seed").sort().map((k) => [k, settings[k]]));
}

function showPreset(settings) {  // the preset a run was started from (--preset, a link, the list), if any
  const i = lab.presets.findIndex((p) => canonical(p.settings) === canonical(settings));
  if (i >= 0) { $("preset").value = String(i); $("preset-note").textContent = lab.presets[i].note; }
}

function fillPresets(presets) {
  lab.presets = presets;
  const select = $("preset");
  select.textContent = "";
  const none = document.createElement("option");
  none.value = ""; none.textContent = "choose a lesson…";
  select.appendChild(none);
  presets.forEach((p, i) => {
    const o = document.createElement("option");
    o.value = String(i); o.textContent = p.name;
    select.appendChild(o);
  });
}

$("preset").addEventListener("change", async () => {
  const p = lab.presets[Number($("preset").value)];
  if (!p) return;
  $("preset-note").textContent = p.note;
  await newRun(Object.assign({ seed: numberOrNull("seed") ?? 0 }, p.settings));
});

$("play").addEventListener("click", () => send(lab.frame && lab.frame.playing ? "pause" : "play"));
$("step").addEventListener("click", () => send("step", { n: 1 }));
function newRunFromControls() {  // the controls' settings: no longer a preset's (they hold no data_scale, ...)
  $("preset").value = "";
  $("preset-note").textContent = "";
  newRun(runSettings());
}
$("reset").addEventListener("click", () => {  // the same run again from step 0, with the seed in the seed box
  if (!lab.run) return;
  const settings = Object.assign({}, lab.run.settings, { seed: numberOrNull("seed") });
  newRun(settings, true);
});
$("new-run").addEventListener("click", newRunFromControls);
$("speed").addEventListener("change", () => {
  const [n, ms] = $("speed").value.split(":").map(Number);
  send("speed", { steps_per_frame: n, delay_ms: ms });
});
$("algorithm").addEventListener("change", () => showFor($("algorithm").value));
$("data-kind").addEventListener("change", () => {
  const kind = $("data-kind").value;
  $("points-box").hidden = kind !== "points";
  $("data-k").hidden = kind === "points";
  if (kind === "grid" && $("data-k").value === "8") $("data-k").value = 5;
  if (kind === "ring" && $("data-k").value === "5") $("data-k").value = 8;
  requestDraw();
});
$("apply").addEventListener("click", async () => {
  if (!lab.run) return;
  const last = numberOrNull("last-step");
  if (lab.frame && last !== lab.frame.steps) {  // a new last step: the run goes on (or ends sooner)
    const r = await send("extend", { steps: last });
    if (!r) return;
    say(`the run now ends at step ${last}`);
  }
  const values = {};
  for (const name of Object.keys(lab.run.live)) {
    const el = $(name);
    const v = el.tagName === "SELECT" ? el.value : numberOrNull(name);
    if (v !== lab.run.live[name]) values[name] = v;
  }
  if (!Object.keys(values).length) {
    if (!(lab.frame && last !== lab.frame.steps)) say("nothing changed: edit a value under “Change while it runs” first");
    return;
  }
  const r = await send("change", { values });
  if (r) {
    lab.run.live = r.live;
    say("applied at step " + (lab.frame ? lab.frame.step : 0) + ": " + Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(", "));
    showCommand(r.command);
  }
});
$("save").addEventListener("click", async () => {
  const name = $("run-name").value.trim();
  const r = await send("save", { name });
  if (r) { say(`saved to ${r.folder}: ${r.files.join(", ")}`); showCommand(r); refreshRuns(); }
});
$("open").addEventListener("click", async () => {
  const name = $("run-list").value;
  if (!name) { say("choose a run to open first", "error"); return; }
  const r = await send("open", { name });
  if (r) say(`opened ${name}: press Play to continue it`);
});
for (const id of ["show-heat", "show-real", "show-fake", "show-pull", "show-manifold"]) $(id).addEventListener("change", requestDraw);

async function refreshRuns() {
  try {
    const res = await fetch("/api/runs");
    const reply = await res.json();
    const list = $("run-list"), keep = list.value;
    list.textContent = "";
    const none = document.createElement("option");
    none.value = ""; none.textContent = reply.result.length ? "runs in the runs folder…" : "no saved runs yet";
    list.appendChild(none);
    for (const r of reply.result) {
      const o = document.createElement("option");
      o.value = r.name;
      o.textContent = r.algorithm ? `${r.name} (${r.algorithm}, ${r.data}, step ${r.step})` : r.name;
      list.appendChild(o);
    }
    list.value = keep;
  } catch (e) { /* the list is a convenience */ }
}

// drawing your own points
let drawing = false, lastDrawn = null;
function addPoint(ev) {
  if (!lab.run || $("data-kind").value !== "points") return;
  const rect = plane.getBoundingClientRect(), [x0, x1, y0, y1] = lab.run.bounds;
  const x = x0 + (ev.clientX - rect.left) / rect.width * (x1 - x0);
  const y = y1 - (ev.clientY - rect.top) / rect.height * (y1 - y0);
  if (lastDrawn && Math.hypot(ev.clientX - lastDrawn[0], ev.clientY - lastDrawn[1]) < 6) return;
  lastDrawn = [ev.clientX, ev.clientY];
  lab.drawn.push([x, y]);
  lab.csv = null;
  $("npoints").textContent = lab.drawn.length;
  requestDraw();
}
plane.addEventListener("mousedown", (ev) => { drawing = true; lastDrawn = null; addPoint(ev); });
plane.addEventListener("mousemove", (ev) => { if (drawing) addPoint(ev); });
window.addEventListener("mouseup", () => { drawing = false; });
$("draw-clear").addEventListener("click", () => { lab.drawn = []; lab.csv = null; $("npoints").textContent = 0; $("csv").value = ""; requestDraw(); });
$("csv").addEventListener("change", () => {
  const file = $("csv").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.onload = () => { lab.csv = String(reader.result); say(`${file.name} read: press “Start a new run” to train on it`); };
  reader.readAsText(file);
});

// The keyboard: space plays or pauses and s steps, except where a key already means something (a field, a
// button, a list: space presses the focused button itself). On the plane, with "my points" chosen, the arrow
// keys move a cross and Enter (or space) adds a point there: drawing needs no mouse.
document.addEventListener("keydown", (ev) => {
  if (["INPUT", "SELECT", "TEXTAREA", "BUTTON", "A", "CANVAS", "SUMMARY"].includes(ev.target.tagName)) return;
  if (ev.key === " ") { ev.preventDefault(); $("play").click(); }
  if (ev.key === "s") $("step").click();
});
plane.addEventListener("keydown", (ev) => {
  if (!lab.run) return;
  if ($("data-kind").value !== "points") {
    if (ev.key === " ") { ev.preventDefault(); $("play").click(); }
    if (ev.key === "s") $("step").click();
    return;
  }
  const [x0, x1, y0, y1] = lab.run.bounds, dx = (x1 - x0) / 40, dy = (y1 - y0) / 40;
  if (!lab.cursor) lab.cursor = [(x0 + x1) / 2, (y0 + y1) / 2];
  const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
  if (moves[ev.key]) {
    ev.preventDefault();
    lab.cursor = [Math.min(x1, Math.max(x0, lab.cursor[0] + moves[ev.key][0])), Math.min(y1, Math.max(y0, lab.cursor[1] + moves[ev.key][1]))];
  } else if (ev.key === "Enter" || ev.key === " ") {
    ev.preventDefault();
    lab.drawn.push([lab.cursor[0], lab.cursor[1]]);
    lab.csv = null;
    $("npoints").textContent = lab.drawn.length;
    say(`point ${lab.drawn.length} added at (${lab.cursor[0].toFixed(2)}, ${lab.cursor[1].toFixed(2)})`);
  } else {
    return;
  }
  $("cursor").textContent = `cross at (${lab.cursor[0].toFixed(2)}, ${lab.cursor[1].toFixed(2)})`;
  requestDraw();
});
$("describe").addEventListener("click", () => updateTextView(true));
window.addEventListener("resize", requestDraw);

connect();
