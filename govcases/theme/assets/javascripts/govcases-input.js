/* The search box starts a search on any change of its text. Material reads the box on keyup only, so text
 * pasted with the mouse, dropped, filled in by the browser or committed by an input method without a key
 * event would start none: every such change is forwarded to Material as a keyup of the box. */
(function () {
  "use strict"
  function forward(ev) {
    var box = ev.target
    if (!box || !box.matches || !box.matches("input.md-search__input")) return
    // while an input method composes, the text is not yet what the reader means; compositionend follows
    if (ev.type === "input" && ev.isComposing) return
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }
  document.addEventListener("input", forward, true)
  document.addEventListener("compositionend", forward, true)
})()
