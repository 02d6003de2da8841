// Pickers (core.widgets.Picker): a search box above a <select> that holds only the chosen option. Typing asks
// the pick endpoint for matches (narrowed by the form's other fields) and offers them in the list below.
(function () {
  "use strict";

  // The pickers of a page ask one after another: choosing a project refreshes several at once.
  let previous = Promise.resolve();

  function setUp(select) {
    const form = select.form;
    const search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.autocomplete = "off";
    search.placeholder = select.dataset.pickerPlaceholder;
    search.setAttribute("aria-label", select.dataset.pickerPlaceholder);
    if (select.id) search.id = select.id + "-search";
    const status = document.createElement("div");
    status.className = "picker-status muted small";
    status.setAttribute("aria-live", "polite");
    select.before(search);
    select.after(status);
    select.classList.add("picker");

    // A prefixed form (several on a page, or a formset) names its fields "<prefix>-<name>".
    const prefix = select.name.slice(0, select.name.lastIndexOf("-") + 1);
    const narrowedBy = (select.dataset.narrowedBy || "").split(" ").filter(Boolean);
    const fieldNamed = (name) => form && (form.elements[prefix + name] || form.elements[name]);
    let timer = null;
    let asked = 0;

    async function find() {
      const params = new URLSearchParams({ q: search.value.trim() });
      for (const name of narrowedBy) {
        const field = fieldNamed(name);
        if (field && field.value) params.set(name, field.value);
      }
      for (const [name, value] of new URLSearchParams(select.dataset.pickerFixed || "")) params.set(name, value);
      if (!params.get("q") && !narrowedBy.some((name) => params.get(name))) return;
      const mine = ++asked;
      // Only a search the user typed says so: a refresh for another field's choice must not shift the form.
      if (params.get("q")) status.textContent = select.dataset.pickerSearching;
      const request = previous.then(() =>
        fetch(select.dataset.pickerUrl + "?" + params, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        }),
      );
      previous = request.catch(() => null);
      const response = await request;
      if (mine !== asked) return;
      if (!response.ok) {
        status.textContent = response.statusText;
        return;
      }
      const data = await response.json();
      const chosen = select.value;
      for (const option of Array.from(select.options)) {
        if (option.value && option.value !== chosen) option.remove();
      }
      for (const match of data.results) {
        if (String(match.id) === chosen) continue;
        const text = match.detail ? match.label + " · " + match.detail : match.label;
        select.add(new Option(text, match.id));
      }
      const offered = select.options.length;
      select.size = data.results.length ? Math.min(8, Math.max(2, offered)) : 0;
      if (data.results.length) status.textContent = select.dataset.pickerFound;
      else status.textContent = params.get("q") ? data.empty : "";
      select.dispatchEvent(new CustomEvent("picker:offered", { bubbles: true }));
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(find, 250);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && select.size > 1) {
        event.preventDefault();
        select.focus();
      } else if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        find();
      }
    });
    select.addEventListener("change", function () {
      // Chosen: a search still on its way is over, and must not open the list again when it answers.
      clearTimeout(timer);
      asked++;
      select.size = 0;
      status.textContent = "";
    });
    for (const name of narrowedBy) {
      const field = fieldNamed(name);
      if (field && field.addEventListener) field.addEventListener("change", find);
    }
  }

  document.querySelectorAll("select[data-picker-url]").forEach(setUp);
})();
