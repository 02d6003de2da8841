// Date fields (core.widgets.DateInput, DateTimeInput): typed in the form the dashboard's language writes dates
// (data-format, e.g. %Y-%m-%d), with a button beside each that opens the browser's calendar on a hidden native
// input and writes the chosen day back in that form. The native input alone would show the browser's locale.
(function () {
  "use strict";

  const PATTERNS = { Y: "(\\d{4})", m: "(\\d{1,2})", d: "(\\d{1,2})", H: "(\\d{1,2})", M: "(\\d{1,2})", S: "(\\d{1,2})" };
  const pad = (value) => String(value).padStart(2, "0");

  // The parts of a date written in `format`, or null when the text is not such a date.
  function read(text, format) {
    const names = [];
    let pattern = "";
    for (let i = 0; i < format.length; i++) {
      const name = format[i + 1];
      if (format[i] === "%" && PATTERNS[name]) {
        names.push(name);
        pattern += PATTERNS[name];
        i++;
      } else {
        pattern += format[i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      }
    }
    const match = new RegExp("^" + pattern).exec(text.trim());
    if (!match) return null;
    return Object.fromEntries(names.map((name, k) => [name, match[k + 1]]));
  }

  function write(parts, format) {
    return format.replace(/%([YmdHMS])/g, (_, name) => (name === "Y" ? parts.Y : pad(parts[name] || 0)));
  }

  function nativeValue(parts, kind) {
    const day = `${parts.Y}-${pad(parts.m)}-${pad(parts.d)}`;
    return kind === "date" ? day : `${day}T${pad(parts.H || 0)}:${pad(parts.M || 0)}`;
  }

  function partsOfNative(value) {
    const [day, time] = value.split("T");
    const [Y, m, d] = day.split("-");
    const [H, M] = (time || "00:00").split(":");
    return { Y, m, d, H, M, S: "00" };
  }

  function setUp(input) {
    const kind = input.dataset.calendar;
    const format = input.dataset.format;
    const field = document.createElement("span");
    field.className = "calendar-field";
    input.before(field);
    field.append(input);

    const native = document.createElement("input");
    native.type = kind;
    native.className = "calendar-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "calendar-button";
    button.textContent = "📅";
    button.title = input.dataset.calendarLabel;
    button.setAttribute("aria-label", input.dataset.calendarLabel);
    field.append(button, native);

    button.addEventListener("click", () => {
      const parts = read(input.value, format);
      native.value = parts ? nativeValue(parts, kind) : "";
      try {
        native.showPicker();
      } catch (error) {
        native.focus();
      }
    });
    native.addEventListener("change", () => {
      if (!native.value) return;
      input.value = write(partsOfNative(native.value), format);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function start() {
    document.querySelectorAll("input[data-calendar]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
