// NeuroPlay keyboard: Space play/pause, → step, R replay (ui/keys/__init__.py sends the table).
//
// One listener per page, on the window in the capture phase: it runs before Streamlit's own
// hotkeys (which would rerun the app on R) and clicks the Playground's real buttons, found by
// their Streamlit keys (class st-key-<key>), so a key does exactly what a click does.
// Keys typed into a text field, a select box or a slider are left alone.

const TYPING =
  'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="combobox"], [role="listbox"], [role="slider"], [role="spinbutton"]';

function onKeyDown(event) {
  const table = window.__npKeys;
  if (!table || event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
    return;
  }
  const target = event.target;
  if (target?.closest?.(TYPING)) {
    return;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const buttonKey = table[key];
  if (!buttonKey) {
    return;
  }
  const button = document.querySelector(".st-key-" + buttonKey + " button");
  if (!button || button.disabled) {
    return; // not on the Playground page (or the button is off): the key does nothing
  }
  event.preventDefault();
  event.stopPropagation();
  button.click();
}

export default function keys(component) {
  const { data, parentElement } = component;
  // Draws nothing: hiding the element's container also removes the gap around it.
  const container = parentElement?.closest?.('[data-testid="stElementContainer"]');
  if (container) {
    container.style.display = "none";
  }
  window.__npKeys = data && typeof data.keys === "object" ? data.keys : null;
  if (!window.__npKeysBound) {
    window.__npKeysBound = true;
    window.addEventListener("keydown", onKeyDown, true);
  }
  return undefined;
}
