/* govcases site query: the cut of a query into index terms and the ranking of pages, as pure functions.
 *
 * The search worker (govcases-search.js) loads this file with importScripts and feeds it the index files
 * it fetched; tests load it under node (require) with the files of a built index. The index layout is
 * described in govcases/search/sharded.py.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory()
  else root.govcasesQuery = factory()
})(typeof self !== "undefined" ? self : this, function () {
  "use strict"

  const LONGEST = 8 // the longest term the cut tries
  const SCALE = 20 // a stored score of 20 is 1.0 (govcases.search.sharded.SCALE)
  const SEPARATORS = /[\s\u3000、，,。．.；;：:！!？?（）()“”"'‘’《》〈〉\[\]【】/|]+/
  const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g

  /* Full-width letters and digits to ASCII, lower case (as govcases.search.analysis.normalize). */
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase()
  }

  /* The file holding the terms that start with `ch`: its code point in hex (sharded.shard_name). */
  function shardName(ch) {
    return ch.codePointAt(0).toString(16)
  }

  /* The query's terms: each piece between separators as a whole when the index has it (2+333, 村规民约),
   * else its Chinese runs cut left to right into the longest terms the index has; a run of two or more
   * characters no term starts with is kept (it matches nothing, and the search box shows it as missing,
   * 火星), a single one (的) is dropped; letters and digits as they are. Each term once. */
  function cut(query, has) {
    const out = []
    for (const piece of normalize(query).split(SEPARATORS)) {
      if (!piece) continue
      if ([...piece].length > 1 && has(piece)) { out.push(piece); continue }
      for (const run of piece.match(RUNS) || []) {
        if (/^[\x00-\x7f]+$/.test(run)) { out.push(run); continue }
        const chars = [...run]
        let i = 0
        let rest = ""
        while (i < chars.length) {
          let n = Math.min(LONGEST, chars.length - i)
          for (; n > 1; n--) {
            const term = chars.slice(i, i + n).join("")
            if (has(term)) {
              if ([...rest].length > 1) out.push(rest)
              rest = ""
              out.push(term)
              break
            }
          }
          if (n <= 1) rest += chars[i]
          i += n > 1 ? n : 1
        }
        if ([...rest].length > 1) out.push(rest)
      }
    }
    return [...new Set(out)]
  }

  /* Pages for `terms`, best first (ties: the earlier page): the stored scores of its terms added up, times
   * the share of the terms the page has, squared, so a page with every word beats one that repeats one.
   * `postings(term)` is the term's flat list [gap, score, gap, score, …] (empty when no page has it). */
  function rank(terms, postings, limit) {
    const score = new Map()
    const found = new Map()
    for (const term of terms) {
      const flat = postings(term) || []
      let doc = 0
      for (let k = 0; k < flat.length; k += 2) {
        doc += flat[k]
        score.set(doc, (score.get(doc) || 0) + flat[k + 1] / SCALE)
        if (!found.has(doc)) found.set(doc, new Set())
        found.get(doc).add(term)
      }
    }
    const final = doc => score.get(doc) * (found.get(doc).size / terms.length) ** 2
    return [...score.keys()]
      .sort((a, b) => final(b) - final(a) || a - b)
      .slice(0, limit)
      .map(doc => ({ doc, score: final(doc), terms: Object.fromEntries(terms.map(t => [t, found.get(doc).has(t)])) }))
  }

  function escapeHTML(text) {
    return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
  }

  /* `text` as HTML with every occurrence of `terms` marked. */
  function highlight(text, terms) {
    const html = escapeHTML(text)
    const words = terms.filter(t => t.length).sort((a, b) => b.length - a.length).map(escapeHTML)
    if (!words.length) return html
    const pattern = new RegExp(words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi")
    return html.replace(pattern, m => `<mark>${m}</mark>`)
  }

  return { LONGEST, SCALE, normalize, shardName, cut, rank, escapeHTML, highlight }
})
