// Layout probes for the printed case card, run in the page under print media (an expression: the page's CSP
// allows no added scripts).
({
  // Text of any visible box (admonition or details) that its title icon covers: [box class, the text] pairs.
  iconOverlaps() {
    const hit = (a, b) => a.left < b.right - .5 && b.left < a.right - .5 && a.top < b.bottom - .5 && b.top < a.bottom - .5;
    const out = [];
    for (const box of document.querySelectorAll("article :is(.admonition, details)")) {
      if (!box.getClientRects().length) continue;
      const title = box.querySelector(":scope > :is(.admonition-title, summary)");
      const icon = getComputedStyle(title, "::before"), t = title.getBoundingClientRect(), ts = getComputedStyle(title);
      const left = t.left + parseFloat(ts.borderLeftWidth) + parseFloat(icon.left);
      const top = t.top + parseFloat(ts.borderTopWidth) + parseFloat(icon.top);
      const r = {left, top, right: left + parseFloat(icon.width), bottom: top + parseFloat(icon.height)};
      const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), range = document.createRange();
      while (walk.nextNode()) {
        if (!walk.currentNode.data.trim()) continue;
        range.selectNodeContents(walk.currentNode);
        if ([...range.getClientRects()].some(q => hit(r, q))) out.push([box.className, walk.currentNode.data.trim()]);
      }
    }
    return out;
  },
  // Puts tiny markers gcm<N>x that take no room (absolutely placed where they stand) at the end of each thing that
  // must share a page with what follows, and at the start of that; returns [what, end marker, start marker] triples:
  // each shown heading with the next shown element, the 具名做法 lead-in with the first practice, each figures
  // header row with its first row and, for a table of up to 24 figures, with its last row.
  markKeeps() {
    let k = 0;
    const mark = (el, atEnd) => {
      const s = document.createElement("span");
      s.textContent = `gcm${k}x`;
      s.style.cssText = "position:absolute;font-size:2px;line-height:1;color:#fff";
      atEnd ? el.append(s) : el.prepend(s);
      return k++;
    };
    const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== "inline";
    const next = e => { let n = e.nextElementSibling; while (n && !shown(n)) n = n.nextElementSibling; return n; };
    const keeps = [];
    const heads = [...document.querySelectorAll("article :is(h2, h3), article h2 + p:has(+ .gc-procedure)")]
      .filter(h => shown(h) && next(h)).map(h => [h, h.innerText, next(h)]);
    for (const [h, text, n] of heads) keeps.push([text, mark(h, true), mark(n, false)]);
    for (const table of document.querySelectorAll("article .gc-figures table")) {
      const head = table.querySelector("thead th:last-child"), rows = table.querySelectorAll("tbody tr");
      keeps.push(["关键数据表头", mark(head, true), mark(rows[0].firstElementChild, false)]);
      if (!table.closest(".gc-figures--many")) {
        keeps.push(["关键数据整表", mark(head, true), mark(rows[rows.length - 1].lastElementChild, true)]);
      }
    }
    return keeps;
  },
})
