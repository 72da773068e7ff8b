// The web app's only script: maths, the editor, submitting through the JSON API, live status
// (server-sent events), countdowns and live dashboards. Pages work and read without it
// (reports are rendered by the server); it adds what needs a browser.
import katex from "katex";
import { createEditor } from "./editor.js";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

function renderMaths(root) {
  for (const el of root.querySelectorAll(".math.inline, .math.block")) {
    if (el.dataset.rendered) continue;
    try {
      katex.render(el.textContent, el, { displayMode: el.classList.contains("block"), throwOnError: false });
      el.dataset.rendered = "1";
    } catch (e) { /* the TeX stays readable as text */ }
  }
}

function setupEditor(form) {
  const textarea = form.querySelector("textarea[data-editor]");
  if (!textarea) return null;
  const key = `grader:draft:${form.dataset.draftScope}:${form.dataset.question}`;
  const saved = window.localStorage.getItem(key);
  if (saved !== null) textarea.value = saved;
  const editor = createEditor(textarea, (text) => window.localStorage.setItem(key, text));
  const reset = form.querySelector("[data-reset-starter]");
  if (reset) {
    reset.hidden = false;
    reset.addEventListener("click", () => {
      editor.set(form.querySelector("[data-starter]").textContent);
      window.localStorage.removeItem(key);
    });
  }
  return editor;
}

function setupFileInput(form, editor) {
  const input = form.querySelector('input[type="file"]');
  if (!input) return;
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const text = await file.text();
    if (!file.name.toLowerCase().endsWith(".ipynb")) {
      (editor ? editor.set(text) : (form.querySelector("textarea[name=code]").value = text));
      return;
    }
    const res = await fetch("/notebook", {
      method: "POST", credentials: "same-origin", body: text,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    });
    const body = await res.json();
    if (!res.ok) return showProblem(form, body);
    editor ? editor.set(body.code) : (form.querySelector("textarea[name=code]").value = body.code);
  });
}

function showProblem(form, problem) {
  const box = form.querySelector("[data-problem]");
  box.textContent = problem.detail || problem.title || "The request failed.";
  box.hidden = false;
}

function answersOf(form) {
  const answers = {};
  for (const field of form.querySelectorAll("[data-part]")) {
    const part = field.dataset.part;
    if (field.type === "checkbox") {
      if (field.dataset.kind === "boolean") answers[part] = field.checked;
      else if (field.checked) (answers[part] = answers[part] || []).push(field.value);
      else answers[part] = answers[part] || [];
    } else if (field.type === "radio") {
      if (field.checked) answers[part] = field.dataset.kind === "boolean" ? field.value === "true" : field.value;
    } else if (field.value.trim() !== "") {
      answers[part] = field.value;
    }
  }
  return answers;
}

async function submit(form, practice) {
  const body = { question_id: form.dataset.question };
  if (form.dataset.kind === "coding") body.code = form.querySelector("textarea[name=code]").value;
  else body.answers = answersOf(form);
  if (form.dataset.interview) body.interview_id = form.dataset.interview;
  if (practice) body.practice = true;
  form.querySelector("[data-problem]").hidden = true;
  const res = await fetch("/v1/submissions", {
    method: "POST", credentials: "same-origin", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf() },
  });
  const answer = await res.json();
  if (!res.ok) return showProblem(form, answer);
  follow(answer.id, document.querySelector("[data-live-report]"));
}

// Follows one submission: status events, then the rendered report in place (no reload).
function follow(id, region) {
  region.hidden = false;
  const status = region.querySelector('[data-testid="status"]');
  const body = region.querySelector("[data-report-body]");
  const link = region.querySelector("[data-report-link]");
  status.textContent = "queued";
  body.replaceChildren();
  link.href = `/s/${id}`;
  link.hidden = false;
  const events = new EventSource(`/v1/submissions/${id}/events`);
  events.addEventListener("status", (e) => { status.textContent = JSON.parse(e.data).status; });
  events.addEventListener("report", async () => {
    events.close();
    status.textContent = "done";
    const res = await fetch(`/s/${id}/report`, { credentials: "same-origin" });
    body.innerHTML = await res.text();  // our own server's rendering: escaped, no scripts
    renderMaths(body);
  });
  events.onerror = () => { if (events.readyState === EventSource.CLOSED) status.textContent = "connection lost: reload"; };
}

function setupSubmitForm(form) {
  const editor = setupEditor(form);
  setupFileInput(form, editor);
  for (const button of form.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", (e) => { e.preventDefault(); submit(form, button.dataset.action === "run"); });
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); submit(form, false); });
}

function setupCountdown(el) {
  let left = Number(el.dataset.secondsLeft);
  const tick = () => {
    const m = Math.floor(left / 60), s = left % 60;
    el.textContent = `${m}:${String(s).padStart(2, "0")}`;
    if (left <= 0) { clearInterval(timer); window.location.reload(); }
    left -= 1;
  };
  const timer = setInterval(tick, 1000);
  tick();
}

// A live board: each event of the interview's stream re-reads the board's rendering.
function setupLiveBoard(el) {
  const refresh = async () => {
    const res = await fetch(el.dataset.fragment, { credentials: "same-origin" });
    if (res.ok) el.innerHTML = await res.text();
  };
  for (const id of (el.dataset.liveInterviews || "").split(" ").filter(Boolean)) {
    const events = new EventSource(`/v1/interviews/${id}/events`);
    events.addEventListener("board", refresh);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  renderMaths(document);
  document.querySelectorAll("form[data-submit-form]").forEach(setupSubmitForm);
  document.querySelectorAll("[data-countdown]").forEach(setupCountdown);
  document.querySelectorAll("[data-live-board]").forEach(setupLiveBoard);
  for (const el of document.querySelectorAll("[data-follow]")) follow(el.dataset.follow, el);
});
