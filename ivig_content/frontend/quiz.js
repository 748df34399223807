// The quiz's front end: an anywidget ES module (render({model, el})) that the static quiz page also inlines.
//
// The bank's data arrive in the model's "quiz" value; answers are checked here, at once, with the same rules as
// ivig_content.quiz.check_answer, and each checked answer is also sent to the kernel in one message, where
// QuizSession records it (Python stays the reference: the tests compare both). If the kernel stops answering,
// everything keeps working in the page, results download included.
//
// Text from a bank is only ever set with textContent, never parsed as HTML, so nothing in it is typeset or run.

const RIGHT_MARK = "\u2713";
const WRONG_MARK = "\u2717";
const KERNEL_PATIENCE_MS = 4000; // no receipt from the kernel within this: tell the learner their answers are safe here
const NO_ANSWER = {
  single: "Choose an answer, then check it.",
  multiple: "Select at least one answer, then check it.",
  matching: "Pair every item with an answer, then check.",
};
const CSV_COLUMNS = [
  "learner", "number", "questions_in_quiz", "question_id", "topic", "level", "kind", "prompt",
  "answered", "correct", "attempts", "your_answer", "right_answer",
];

let widgetCount = 0;

// --- small DOM helpers --------------------------------------------------------------------------------

function make(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") element.textContent = value;
    else if (name === "className") element.className = value;
    else if (name === "hidden") element.hidden = true;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function focusOn(element) {
  // Reduced motion: jump, don't glide, to what now has focus.
  const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
}

// --- the rules, as in ivig_content.quiz ----------------------------------------------------------------

function choiceById(question, id) {
  const choice = question.choices.find((c) => c.id === id);
  if (!choice) throw new Error(`question "${question.id}" has no choice "${id}"`);
  return choice;
}

/** Like quiz.check_answer: {correct, feedback: [{text, chosen, correct, feedback}]}, or null when nothing is chosen. */
export function checkAnswer(question, response) {
  if (question.kind === "single") {
    if (response === null || response === undefined || response === "") return null;
    const chosen = choiceById(question, response);
    return {
      correct: chosen.correct,
      feedback: question.choices.map((c) => ({ text: c.text, chosen: c.id === chosen.id, correct: c.correct, feedback: c.feedback })),
    };
  }
  if (question.kind === "multiple") {
    const chosen = new Set(response || []);
    if (chosen.size === 0) return null;
    chosen.forEach((id) => choiceById(question, id));
    const right = question.choices.filter((c) => c.correct).map((c) => c.id);
    const correct = right.length === chosen.size && right.every((id) => chosen.has(id));
    return {
      correct,
      feedback: question.choices.map((c) => ({ text: c.text, chosen: chosen.has(c.id), correct: c.correct, feedback: c.feedback })),
    };
  }
  const pairs = response || {};
  if (question.items.some((item) => !pairs[item.id])) return null;
  const feedback = question.items.map((item) => {
    const chosen = choiceById(question, pairs[item.id]);
    return { text: `${item.text} \u2192 ${chosen.text}`, chosen: true, correct: chosen.id === item.answer, feedback: item.feedback };
  });
  return { correct: feedback.every((entry) => entry.correct), feedback };
}

/** Like quiz._answer_text: a response in words, for results files. */
export function answerText(question, response) {
  if (response === null || response === undefined) return "";
  if (question.kind === "single") return choiceById(question, response).text;
  if (question.kind === "multiple") {
    const chosen = new Set(response);
    return question.choices.filter((c) => chosen.has(c.id)).map((c) => c.text).join("; ");
  }
  return question.items.map((item) => `${item.text} \u2192 ${choiceById(question, response[item.id]).text}`).join("; ");
}

/** Like quiz.clean_learner_name: no control characters, no leading = + - @ (never a formula), at most 80 characters. */
export function cleanLearnerName(name) {
  // results.clean_learner_name: C0 and C1 control characters become spaces first (so \s means the same here
  // and in Python), then no leading = + - @ or space, at most 80 characters.
  if (!name) return "";
  const spaced = name.replace(/[\u202a-\u202e\u2066-\u2069]/g, "").replace(/[\x00-\x1f\x7f-\x9f]/g, " ").trim();
  return Array.from(spaced.replace(/^[=+\-@\s]+/, "").trim()).slice(0, 80).join("");
}

// Like results.spreadsheet_safe (OWASP's rule): text a spreadsheet could run as a formula gets an apostrophe.
export function spreadsheetSafe(value) {
  if (typeof value !== "string") return value;
  const risky = ["=", "+", "-", "@", "\t", "\r"].includes(value.charAt(0));
  return risky && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? `'${value}` : value;
}

function csvCell(value) {
  const text = String(spreadsheetSafe(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The results file, byte for byte what results.results_text(QuizSession.to_frame(), ".csv") gives: a byte-order
 * mark first, so spreadsheets read it as UTF-8; every row says how many questions the quiz has. */
export function resultsCsv(session, learner) {
  const name = cleanLearnerName(learner);
  const rows = [CSV_COLUMNS.join(",")];
  const count = session.questions.length;
  session.questions.forEach((question, index) => {
    const first = session.first[question.id];
    rows.push([
      name, index + 1, count, question.id, question.topic, question.level, question.kind, question.prompt,
      first ? "True" : "False", first && first.correct ? "True" : "False", session.attempts[question.id] || 0,
      first ? answerText(question, first.response) : "", question.right_answer,
    ].map(csvCell).join(","));
  });
  return "\ufeff" + rows.join("\n") + "\n";
}

// quiz.percent_of: halves rounded up (1 of 8 is 13%), with the same floating-point steps as Python's.
function percentOf(part, whole) {
  return whole ? Math.floor((100 * part) / whole + 0.5) : 0;
}

function newSession(questions) {
  return { questions, first: {}, attempts: {}, latest: {} };
}

function sameResponse(a, b) {
  const normal = (r) => JSON.stringify(Array.isArray(r) ? [...r].sort() : r && typeof r === "object" ? Object.keys(r).sort().map((k) => [k, r[k]]) : r);
  return normal(a) === normal(b);
}

function fileStamp(now) {
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

function resultsFileName(learner) {
  // Local time (the learner's clock), letters of any script kept, and a random part so 30 downloads never clash.
  // results.results_file_name: letters, digits and marks (Hindi's vowel signs) of any script, joined as NFC
  const slug = cleanLearnerName(learner).normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}\p{M}]+/gu, "-").replace(/^-+|-+$/g, "");
  const random = Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `ivig-quiz-results-${Array.from(slug).slice(0, 40).join("") || "learner"}-${fileStamp(new Date())}-${random}.csv`;
}

function csvDataUrl(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return `data:text/csv;charset=utf-8;base64,${btoa(binary)}`;
}

// --- the widget ------------------------------------------------------------------------------------------

function render({ model, el }) {
  const data = model.get("data");
  const standalone = Boolean(model.standalone);
  const uid = `ivig-quiz-${++widgetCount}-${Math.random().toString(36).slice(2, 8)}`;
  const titles = data.topic_titles || {};
  const topicOrder = data.topic_order || [];

  const state = {
    main: newSession(data.questions),
    review: null,
    index: 0,
    view: "quiz",
    drafts: {},        // question id -> the learner's unchecked choice, kept while they move back and forth
    checked: {},       // question id -> the response last checked, so a repeated click counts once
    exam: Boolean(data.exam),
    submitted: false,
    confirmSubmit: false,
    canWiden: Boolean(data.wider && data.wider.questions && data.wider.questions.length),
    learner: "",
    waiting: new Map(), // message number -> timer: answers the kernel has not confirmed yet
    sent: 0,
    kernelLost: false,
  };

  // --- skeleton ---
  const root = make("div", { className: "ivig-root ivig-quiz", lang: "en" });
  const notice = make("div", { className: "ivig-notice", role: "note" }, make("strong", { text: "Important:" }), " ", data.disclaimer);
  const connectionText = make("p");
  const dismiss = make("button", { type: "button", text: "OK" });
  const connection = make("div", { className: "ivig-notice ivig-connection", role: "status", hidden: true }, connectionText, dismiss);
  dismiss.addEventListener("click", () => { connection.hidden = true; });
  const position = make("h3", { className: "ivig-position" });
  const progressText = make("p", { className: "ivig-progress-text" });
  const progressBar = make("progress", { className: "ivig-progress", "aria-label": "Questions answered" });
  const heading = make("div", { className: "ivig-heading" }, position, progressText, progressBar);
  const message = make("div", { className: "ivig-message", role: "status", "aria-live": "polite", tabindex: "-1" });

  const legend = make("legend", { className: "ivig-prompt", tabindex: "-1", dir: "auto" });
  const hint = make("p", { className: "ivig-hint", text: "Select all that apply.", hidden: true });
  const answers = make("div", { className: "ivig-answers" });
  const fieldset = make("fieldset", {}, legend, hint, answers);
  const checkButton = make("button", { type: "button", className: "ivig-primary", text: "Check answer" });
  const backButton = make("button", { type: "button", text: "Back" });
  const nextButton = make("button", { type: "button", text: "Next" });
  const feedback = make("div", { className: "ivig-feedback", role: "status", "aria-live": "polite", tabindex: "-1" });
  const questionButtons = make("div", { className: "ivig-buttons" }, checkButton, backButton, nextButton);
  // Feedback comes before the buttons: focus moves to it after "Check answer", and the next Tab reaches "Next".
  const questionView = make("section", { className: "ivig-question", "aria-label": "Question" }, fieldset, feedback, questionButtons);

  const summaryHeading = make("h3", { tabindex: "-1", text: "Your results" });
  const summaryText = make("div");
  const chart = make("figure", { className: "ivig-chart" });
  const nameInput = make("input", { type: "text", id: `${uid}-name`, autocomplete: "name", placeholder: "optional" });
  const nameField = make("div", { className: "ivig-name" },
    make("label", { for: `${uid}-name`, text: "Your name (optional; it goes into your results file)" }), nameInput);
  const download = make("p", { className: "ivig-download" });
  const reviewButton = make("button", { type: "button", text: "Review missed questions" });
  const restartButton = make("button", { type: "button", text: "Start over" });
  const summaryBackButton = make("button", { type: "button", text: "Back to questions" });
  const widenButton = make("button", { type: "button", text: (data.wider && data.wider.label) || "Practise all questions", hidden: !state.canWiden });
  const summaryButtons = make("div", { className: "ivig-buttons" }, reviewButton, restartButton, summaryBackButton, widenButton);
  const summaryView = make("section", { className: "ivig-summary", "aria-label": "Your results", hidden: true },
    summaryHeading, summaryText, chart, nameField, download, summaryButtons);

  // Every key pressed inside the quiz is the quiz's: JupyterLab's notebook shortcuts (arrows move between cells,
  // Enter edits a cell, A and B add cells) would otherwise take the arrow keys from radio groups and drop-downs.
  // Lumino's attribute stops its command shortcuts; the notebook's own keyboard handling needs the key stopped.
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  root.addEventListener("keydown", (event) => {
    if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
  });
  // Short messages go right under the buttons the learner just used. The connection note is pinned to the bottom
  // of the screen, so it is seen wherever the learner has scrolled: it is put in the page's body when needed,
  // because inside a notebook's output area "fixed" is relative to the output, not to the screen.
  root.append(notice, heading, questionView, summaryView);
  const connectionHost = make("div", { className: "ivig-root ivig-connection-host", lang: "en" }, connection);
  function placeNotes(view) {
    if (view === "summary") summaryButtons.after(message);
    else questionButtons.after(message);
  }
  placeNotes("quiz");
  el.replaceChildren(root);

  const session = () => state.review || state.main;
  const current = () => session().questions[state.index];

  // --- talking to the kernel (nothing here may stop the quiz) ---
  function showKernelLost() {
    if (standalone || state.kernelLost) return;
    state.kernelLost = true;
    connectionText.textContent = "The notebook's kernel is not answering right now. Nothing is lost: your answers are kept " +
      "in this page, the quiz keeps working, and you can download your results from the results page.";
    connection.hidden = false;
    if (!connectionHost.isConnected) document.body.append(connectionHost);
  }
  function tell(content) {
    if (standalone) return;
    const number = ++state.sent;
    try {
      model.send({ ...content, number });
    } catch (error) {
      showKernelLost();
      return;
    }
    if (content.kind === "answer") {
      state.waiting.set(number, setTimeout(showKernelLost, KERNEL_PATIENCE_MS));
    }
  }
  function onKernelMessage(content) {
    if (!content || content.kind !== "recorded") return;
    clearTimeout(state.waiting.get(content.number));
    state.waiting.delete(content.number);
    if (state.kernelLost && state.waiting.size === 0) {
      state.kernelLost = false;
      connection.hidden = true;
    }
    if (content.error) {
      message.textContent = `The notebook could not record that answer (${content.error}); it is kept in this page.`;
    }
  }
  model.on("msg:custom", onKernelMessage);
  function report(view) {
    if (standalone) return;
    try {
      model.set("view", view);
      model.set("position", state.index);
      model.save_changes();
    } catch (error) {
      showKernelLost();
    }
  }

  // --- drawing a question ---
  function drafted() {
    // In an exam, "Answered N of M" follows the learner's choices, and a new choice calls off a pending submit.
    if (state.exam && !state.submitted) {
      state.confirmSubmit = false;
      updateHeading();
    }
  }

  function inputsFor(question) {
    const draft = state.drafts[question.id];
    answers.replaceChildren();
    if (question.kind === "matching") {
      question.items.forEach((item, n) => {
        const id = `${uid}-${state.index}-item-${n}`;
        const select = make("select", { id });
        select.append(make("option", { value: "", text: "Choose\u2026" }));
        question.choices.forEach((c) => select.append(make("option", { value: c.id, text: c.text })));
        select.value = (draft && draft[item.id]) || "";
        // A closed drop-down shows one line; the whole chosen answer is repeated below it, so none is cut.
        // (Screen readers hear the whole answer from the drop-down itself, so the copy is hidden from them.)
        const chosen = make("p", { className: "ivig-chosen", "aria-hidden": "true", dir: "auto" });
        const echo = () => { chosen.textContent = select.value ? select.selectedOptions[0].textContent : ""; };
        echo();
        select.addEventListener("change", () => {
          const pairs = { ...(state.drafts[question.id] || {}) };
          pairs[item.id] = select.value;
          state.drafts[question.id] = pairs;
          echo();
          drafted();
        });
        answers.append(make("div", { className: "ivig-match" }, make("label", { for: id, text: item.text, dir: "auto" }), select, chosen));
      });
      return;
    }
    const type = question.kind === "single" ? "radio" : "checkbox";
    question.choices.forEach((c) => {
      const input = make("input", { type, name: `${uid}-${state.index}`, value: c.id });
      input.checked = question.kind === "single" ? draft === c.id : Boolean(draft && draft.includes(c.id));
      input.addEventListener("change", () => {
        if (question.kind === "single") state.drafts[question.id] = c.id;
        else {
          const now = new Set(state.drafts[question.id] || []);
          input.checked ? now.add(c.id) : now.delete(c.id);
          state.drafts[question.id] = question.choices.map((x) => x.id).filter((id) => now.has(id));
        }
        drafted();
      });
      // program code (a jupyterquiz answer given as code) keeps its line breaks and indentation
      answers.append(make("label", { className: "ivig-choice" }, input, make("span", { text: c.text, dir: "auto", className: c.code ? "ivig-code" : false })));
    });
  }

  function showFeedback(question, result, counted) {
    feedback.replaceChildren();
    feedback.classList.toggle("ivig-right", result.correct);
    feedback.classList.toggle("ivig-wrong", !result.correct);
    const verdict = make("p", {}, make("span", { className: "ivig-verdict", text: result.correct ? `${RIGHT_MARK} Correct.` : `${WRONG_MARK} Not quite.` }));
    if (!counted) verdict.append(" ", make("em", { text: "(Another try: your first answer is the one that counts for the score.)" }));
    const list = make("ul");
    for (const entry of result.feedback) {
      const mark = entry.correct ? RIGHT_MARK : WRONG_MARK;
      if (question.kind === "matching") list.append(make("li", { dir: "auto", text: `${mark} ${entry.text} (${entry.correct ? "right" : "not right"})` }));
      else if (entry.chosen) list.append(make("li", { dir: "auto", text: `${mark} ${entry.feedback ? `${entry.text}: ${entry.feedback}` : entry.text}` }));
    }
    if (question.kind === "multiple") {
      const leftOut = result.feedback.filter((e) => e.correct && !e.chosen).length;
      if (leftOut) list.append(make("li", { text: `You left out ${leftOut} right answer${leftOut > 1 ? "s" : ""}.` }));
    }
    if (!result.correct && question.right_answer) {
      const several = question.kind === "matching" || question.choices.filter((c) => c.correct).length > 1;
      const label = question.kind === "matching" ? "The right pairs:" : several ? "The right answers:" : "The right answer:";
      list.append(make("li", {}, make("strong", { text: label }), ` ${question.right_answer}`));
    }
    feedback.append(verdict);
    if (list.childElementCount) feedback.append(list);
    if (question.explanation) feedback.append(make("p", { dir: "auto" }, make("strong", { text: "Why:" }), ` ${question.explanation}`));
    if (question.source) feedback.append(make("p", { className: "ivig-source", text: `Source: ${question.source}` }));
  }

  function showUnanswered(question) {
    feedback.classList.remove("ivig-right");
    feedback.classList.add("ivig-wrong");
    feedback.replaceChildren(make("p", {}, make("span", { className: "ivig-verdict", text: `${WRONG_MARK} Not answered before you submitted.` })),
      make("p", { dir: "auto" }, make("strong", { text: question.kind === "matching" ? "The right pairs:" : "The right answer:" }), ` ${question.right_answer}`));
    if (question.explanation) feedback.append(make("p", { dir: "auto" }, make("strong", { text: "Why:" }), ` ${question.explanation}`));
    if (question.source) feedback.append(make("p", { className: "ivig-source", text: `Source: ${question.source}` }));
  }

  function updateHeading() {
    const total = session().questions.length;
    const main = state.main;
    const answered = Object.keys(main.first).length;
    const score = Object.values(main.first).filter((r) => r.correct).length;
    position.textContent = `${state.review ? "Reviewing missed questions: " : ""}Question ${state.index + 1} of ${total}`;
    progressText.textContent = state.exam && !state.submitted
      ? `Answered ${Object.keys(state.drafts).filter((id) => main.questions.some((q) => q.id === id && checkAnswer(q, state.drafts[id]))).length} of ${main.questions.length}; your answers are checked when you submit.`
      : `Answered ${answered} of ${main.questions.length}; right at the first try: ${score}.`;
    progressBar.max = main.questions.length;
    progressBar.value = state.exam && !state.submitted ? 0 : answered;
    progressBar.hidden = state.exam && !state.submitted;
  }

  function showQuestion({ focus = true } = {}) {
    state.view = state.review ? "review" : "quiz";
    state.confirmSubmit = false;
    placeNotes(state.view);
    questionView.hidden = false;
    heading.hidden = false;
    summaryView.hidden = true;
    message.textContent = "";
    const question = current();
    legend.textContent = question.prompt;
    hint.hidden = question.kind !== "multiple" || /select all/i.test(question.prompt);
    inputsFor(question);
    backButton.disabled = state.index === 0;
    const last = state.index + 1 === session().questions.length;
    const examOpen = state.exam && !state.submitted;
    const examClosed = state.exam && state.submitted && !state.review;
    checkButton.hidden = examOpen || examClosed;
    answers.querySelectorAll("input, select").forEach((control) => { control.disabled = examClosed; });
    nextButton.textContent = last ? (examOpen ? "Submit my answers" : "See my results") : "Next";
    const latest = session().latest[question.id];
    if (latest && !examOpen) showFeedback(question, latest.result, latest.counted);
    else if (examClosed) showUnanswered(question);
    else feedback.replaceChildren();
    updateHeading();
    report(state.view);
    if (focus) focusOn(legend);
  }

  // --- answering ---
  function record(question, response) {
    // One checked answer: into the review session (if reviewing) and the main one, as the widget's kernel side does.
    const result = checkAnswer(question, response);
    const main = state.main;
    const mainCounted = !(question.id in main.first);
    const target = session();
    const counted = !(question.id in target.first);
    for (const s of state.review ? [state.review, main] : [main]) {
      const isCounted = !(question.id in s.first);
      if (isCounted) s.first[question.id] = { correct: result.correct, response };
      s.attempts[question.id] = (s.attempts[question.id] || 0) + 1;
      s.latest[question.id] = { response, result, counted: isCounted };
    }
    state.checked[question.id] = response;
    tell({ kind: "answer", question_id: question.id, response, review: Boolean(state.review) });
    return { result, counted: state.review ? counted : mainCounted };
  }

  function onCheck() {
    const question = current();
    const response = state.drafts[question.id] ?? null;
    if (!checkAnswer(question, response)) {
      message.textContent = NO_ANSWER[question.kind];
      focusOn(message);
      return;
    }
    message.textContent = "";
    // A repeated click on the same answer (a double click, an impatient second press) is one attempt.
    const latest = session().latest[question.id];
    if (!(latest && question.id in state.checked && sameResponse(state.checked[question.id], response))) {
      const { result, counted } = record(question, response);
      showFeedback(question, result, counted);
    }
    updateHeading();
    focusOn(feedback);
  }

  function unanswered() {
    return state.main.questions.filter((q) => { try { return !checkAnswer(q, state.drafts[q.id] ?? null); } catch (e) { return true; } });
  }

  function submitExam() {
    const open = unanswered();
    if (open.length && !state.confirmSubmit) {
      // Ask once: an unanswered question counts as not right.
      state.confirmSubmit = true;
      const numbers = open.map((q) => state.main.questions.indexOf(q) + 1).join(", ");
      message.textContent = `${open.length} question${open.length > 1 ? "s have" : " has"} no answer yet (number ${numbers}); ` +
        "unanswered questions count as not right. Press \u201cSubmit my answers\u201d again to submit, or go Back to answer them.";
      focusOn(message);
      return;
    }
    state.confirmSubmit = false;
    for (const question of state.main.questions) {
      const draft = state.drafts[question.id];
      if (question.id in state.main.first) continue; // answered before "Practise all": already recorded
      if (draft !== undefined && checkAnswer(question, draft)) record(question, draft);
    }
    state.submitted = true;
    showSummary();
  }

  function onNext() {
    if (state.index + 1 < session().questions.length) {
      state.index += 1;
      showQuestion();
    } else if (state.exam && !state.submitted) {
      submitExam();
    } else {
      showSummary();
    }
  }

  function onBack() {
    if (state.index > 0) state.index -= 1;
    showQuestion();
  }

  // --- the summary ---
  function byTopic(s) {
    const seen = [...new Set(s.questions.map((q) => q.topic))];
    const rank = (t) => (topicOrder.includes(t) ? topicOrder.indexOf(t) : topicOrder.length);
    seen.sort((a, b) => rank(a) - rank(b)); // a stable sort keeps unknown topics in order of appearance
    return seen.map((topic) => {
      const ids = s.questions.filter((q) => q.topic === topic).map((q) => q.id);
      const correct = ids.filter((id) => s.first[id] && s.first[id].correct).length;
      return { topic, title: titles[topic] || topic, questions: ids.length, correct };
    });
  }

  function refreshDownload() {
    const link = make("a", { href: csvDataUrl(resultsCsv(state.main, state.learner)), download: resultsFileName(state.learner), text: "Download results (CSV file)" });
    download.replaceChildren(link, " - saves your answers to your own device, to hand in or keep.");
  }

  function showSummary() {
    state.view = "summary";
    placeNotes("summary");
    questionView.hidden = true;
    heading.hidden = true;
    summaryView.hidden = false;
    message.textContent = "";
    const main = state.main;
    const total = main.questions.length;
    const answered = Object.keys(main.first).length;
    const score = Object.values(main.first).filter((r) => r.correct).length;
    summaryText.replaceChildren(make("p", {},
      `You answered ${answered} of ${total} questions; `,
      make("strong", { text: `${score} of ${total} (${percentOf(score, total)}%)` }),
      " were right at the first try."));
    if (state.review) {
      const r = state.review;
      const reviewScore = Object.values(r.first).filter((x) => x.correct).length;
      summaryText.append(make("p", { text: `In this review you got ${reviewScore} of ${r.questions.length} right at the first try. Your main score above stays as it was.` }));
    }
    const list = make("ul");
    for (const row of byTopic(main)) {
      const fill = make("span");
      fill.style.width = `${(100 * row.correct) / row.questions}%`; // CSSOM, not a style attribute: allowed by the page's CSP
      list.append(make("li", {}, make("span", { text: row.title }), make("span", { className: "ivig-bar", "aria-hidden": "true" }, fill),
        make("span", { text: `${row.correct} of ${row.questions} right` })));
    }
    chart.replaceChildren(make("figcaption", { text: "Right at the first try, by topic:" }), list);
    refreshDownload();
    const s = session();
    reviewButton.disabled = !s.questions.some((q) => s.first[q.id] && !s.first[q.id].correct);
    widenButton.hidden = !state.canWiden;
    report("summary");
    focusOn(summaryHeading);
  }

  function onReview() {
    const s = session();
    const missed = s.questions.filter((q) => s.first[q.id] && !s.first[q.id].correct);
    if (!missed.length) {
      message.textContent = "No missed questions: well done.";
      focusOn(message);
      return;
    }
    state.review = newSession(missed);
    state.index = 0;
    state.drafts = {};
    state.checked = {};
    tell({ kind: "review", question_ids: missed.map((q) => q.id) });
    showQuestion();
  }

  function onRestart() {
    state.main = newSession(state.main.questions);
    state.review = null;
    state.index = 0;
    state.drafts = {};
    state.checked = {};
    state.submitted = false;
    tell({ kind: "restart" });
    showQuestion();
  }

  function onWiden() {
    // The whole bank, keeping every answer so far: they still count, and they are in the download.
    const wider = newSession(data.wider.questions);
    for (const key of ["first", "attempts", "latest"]) wider[key] = { ...state.main[key] };
    state.main = wider;
    state.review = null;
    state.index = 0;
    state.canWiden = false;
    state.submitted = false; // in an exam, the new questions are an exam too
    tell({ kind: "practise_all" });
    showQuestion();
  }

  checkButton.addEventListener("click", onCheck);
  nextButton.addEventListener("click", onNext);
  backButton.addEventListener("click", onBack);
  reviewButton.addEventListener("click", onReview);
  restartButton.addEventListener("click", onRestart);
  summaryBackButton.addEventListener("click", () => showQuestion());
  widenButton.addEventListener("click", onWiden);
  nameInput.addEventListener("input", () => {
    state.learner = nameInput.value;
    refreshDownload();
  });

  showQuestion({ focus: false });
  return () => {
    model.off("msg:custom", onKernelMessage);
    connectionHost.remove();
    state.waiting.forEach((timer) => clearTimeout(timer));
  };
}

export default { render };
