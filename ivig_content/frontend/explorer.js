// The condition explorer's front end: an anywidget ES module (render({model, el})).
//
// The four groups, their facts and their uses arrive in the model's "explorer" value; choosing a group and
// filtering the uses happen here, at once. The chosen group and the filter go back to the kernel as the synced
// values "chosen_group" and "filter", so Python can read what the learner sees. Text is only set with
// textContent, never parsed as HTML.

let widgetCount = 0;

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

/** The uses listed for a group: its own first, then those that also fit it, kept when their name holds the filter. */
export function matchingUses(group, filter) {
  const wanted = filter.trim().toLowerCase();
  return group.uses.filter((use) => !wanted || use.name.toLowerCase().includes(wanted));
}

function render({ model, el }) {
  const data = model.get("data");
  const uid = `ivig-explorer-${++widgetCount}-${Math.random().toString(36).slice(2, 8)}`;
  const groups = data.groups;
  const root = make("div", { className: "ivig-root ivig-explorer", lang: "en" });
  // Keys pressed inside the explorer are its own: JupyterLab's notebook shortcuts would take the arrow keys
  // that move between the groups.
  // Lumino's attribute stops its command shortcuts; the notebook's own keyboard handling needs the key stopped.
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  root.addEventListener("keydown", (event) => {
    if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
  });
  const notice = make("div", { className: "ivig-notice", role: "note" }, make("strong", { text: "Important:" }), " ", data.disclaimer);

  const choices = make("div", { className: "ivig-answers" });
  const chooser = make("fieldset", { className: "ivig-groups" }, make("legend", { text: "Group of conditions" }), choices);
  const radios = groups.map((group) => {
    const input = make("input", { type: "radio", name: `${uid}-group`, value: group.id });
    input.addEventListener("change", () => {
      if (input.checked) choose(group.id, true);
    });
    choices.append(make("label", { className: "ivig-choice", title: group.described }, input, make("span", { text: group.name })));
    return input;
  });

  const details = make("section", { className: "ivig-details", "aria-live": "polite" });
  const filterId = `${uid}-filter`;
  const filter = make("input", { type: "search", id: filterId, placeholder: "type part of a name, e.g. Kawasaki", autocomplete: "off" });
  const filterField = make("div", { className: "ivig-name" }, make("label", { for: filterId, text: "Filter the uses by name" }), filter);
  const uses = make("section", { className: "ivig-uses", "aria-live": "polite" });
  root.append(notice, chooser, details, filterField, uses);
  el.replaceChildren(root);

  function groupById(id) {
    return groups.find((g) => g.id === id) || groups[0];
  }

  function showDetails(group) {
    const helps = make("ul");
    for (const fact of group.helps) {
      const item = make("li");
      if (fact.said) {
        item.append(make("strong", { text: "A closer look." }), ` \u201c${fact.said}\u201d ${fact.text}`);
      } else {
        item.append(fact.text);
      }
      item.append(make("br"), make("small", { text: `Source: ${fact.source}` }));
      for (const closer of fact.closer_looks) {
        item.append(make("br"), make("strong", { text: "A closer look:" }), ` ${closer.text} `, make("small", { text: `(Source: ${closer.source})` }));
      }
      helps.append(item);
    }
    const description = make("p", {}, group.description);
    if (group.caveat) description.append(" ", make("strong", { text: "A closer look:" }), ` ${group.caveat}`);
    description.append(make("br"), make("small", { text: `Source: ${group.source}` }));
    const parts = [make("h3", { text: group.name }), description, make("h4", { text: "How IVIG helps here" }), helps];
    if (group.glossary.length) {
      const words = make("ul");
      for (const term of group.glossary) {
        words.append(make("li", {}, make("strong", { text: term.term }), `: ${term.definition} `, make("small", { text: `(Source: ${term.source})` })));
      }
      parts.push(make("details", {}, make("summary", { text: "Words used here" }), words));
    }
    details.replaceChildren(...parts);
  }

  function showUses(group) {
    const text = filter.value;
    const shown = matchingUses(group, text);
    const parts = [make("h4", { text: `Specific uses: ${group.name}` })];
    if (shown.length) {
      const list = make("ul", { className: "ivig-use-list" });
      for (const use of shown) {
        const title = make("p", {}, make("strong", { text: use.name }));
        if (use.main_group) title.append(" ", make("em", { text: `(also fits here; main group: ${use.main_group})` }));
        list.append(make("li", {}, title, make("dl", {},
          make("dt", { text: "US status: " }), make("dd", { text: use.us_status }),
          make("dt", { text: "Detail: " }), make("dd", { text: use.detail }),
          make("dt", { text: "Source: " }), make("dd", {}, make("small", { text: use.source })))));
      }
      parts.push(list);
    } else {
      parts.push(make("p", { text: `No use in this group matches \u201c${text.trim()}\u201d.` }));
    }
    const wanted = text.trim().toLowerCase();
    if (wanted) {
      const here = new Set(group.uses.map((use) => use.id));
      const elsewhere = data.all_uses.filter((use) => !here.has(use.id) && use.name.toLowerCase().includes(wanted));
      if (elsewhere.length) parts.push(make("p", { text: `Matches in other groups: ${elsewhere.map((u) => `${u.name} (${u.group})`).join("; ")}.` }));
    }
    uses.replaceChildren(...parts);
  }

  function choose(id, tellKernel) {
    const group = groupById(id);
    radios.forEach((radio) => { radio.checked = radio.value === group.id; });
    showDetails(group);
    showUses(group);
    if (tellKernel) sync({ chosen_group: group.id });
  }

  function sync(values) {
    try {
      for (const [name, value] of Object.entries(values)) model.set(name, value);
      model.save_changes();
    } catch (error) {
      // Without a kernel the explorer still works in the page; Python just cannot read the choice.
    }
  }

  filter.addEventListener("input", () => {
    showUses(groupById(model.get("chosen_group")));
    sync({ filter: filter.value });
  });
  const onGroupChange = () => choose(model.get("chosen_group"), false);
  const onFilterChange = () => {
    if (filter.value !== model.get("filter")) {
      filter.value = model.get("filter");
      showUses(groupById(model.get("chosen_group")));
    }
  };
  model.on("change:chosen_group", onGroupChange);
  model.on("change:filter", onFilterChange);

  filter.value = model.get("filter") || "";
  choose(model.get("chosen_group"), false);
  return () => {
    model.off("change:chosen_group", onGroupChange);
    model.off("change:filter", onFilterChange);
  };
}

export default { render };
