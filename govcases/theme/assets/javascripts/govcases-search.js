/* govcases search worker: Material's search worker protocol over the index files in search/gc/.
 *
 * Material posts {type: 0 (SETUP), data: {config, docs, options}} once, then {type: 2 (QUERY), data: text}
 * for every keystroke, and shows each {type: 3 (RESULT), data: {items: [[doc, ...], ...]}} it receives.
 * Instead of indexing every page in the browser, this worker fetches only the files of the characters
 * typed (see govcases/static_search.py for the layout) and adds up the scores computed at build time.
 * The cut and the scores are those of govcases/static_query.py; keep the two in step.
 */
"use strict"

const LONGEST = 8
const SCALE = 20
const SHOWN = 200 // results handed to Material (it shows ten, then more as the reader scrolls)
const TEASERS = 10 // results shown with a snippet (Material renders ten before the reader scrolls)
const SEPARATORS = /[\s\u3000、，,。．.；;：:！!？?（）()“”"'‘’《》〈〉\[\]【】/|]+/
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g

const root = new URL("../../search/gc/", self.location.href)
let version = ""
let heads = new Set()
const shards = new Map() // file name -> Promise of {term: [gap, score, ...]}
const snippets = new Map() // chunk number -> Promise of [text, ...]
let latest = 0

function fetchJSON(path) {
  return fetch(new URL(`${path}?v=${version}`, root)).then(r => (r.ok ? r.json() : {}))
}

/* A file fetched once and kept; a failed fetch is forgotten, so the next keystroke tries again. */
function once(cache, key, path) {
  if (!cache.has(key))
    cache.set(key, fetchJSON(path).catch(err => { cache.delete(key); throw err }))
  return cache.get(key)
}

const meta = new Map()

function loadDocs() {
  return once(meta, "docs", "docs.json").then(d => { heads = new Set(d.heads || ""); return d })
}

function shard(ch) {
  if (!heads.has(ch)) return Promise.resolve({})
  const name = ch.codePointAt(0).toString(16)
  return once(shards, name, `t/${name}.json`)
}

function snippetChunk(k) {
  return once(snippets, k, `x/${k}.json`)
}

function normalize(text) {
  return text.normalize("NFKC").toLowerCase()
}

/* The query's terms (see static_query.cut); `has(term)` answers from shards already fetched. */
function cut(query, has) {
  const out = []
  for (const piece of normalize(query).split(SEPARATORS)) {
    if (!piece) continue
    if (piece.length > 1 && has(piece)) { out.push(piece); continue }
    for (const run of piece.match(RUNS) || []) {
      if (/^[\x00-\x7f]+$/.test(run)) { out.push(run); continue }
      const chars = [...run]
      let i = 0
      let rest = "" // characters no term starts with: kept when two or more (shown as missing)
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

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

function highlight(text, terms) {
  let html = escapeHTML(text)
  const words = terms.filter(t => t.length).sort((a, b) => b.length - a.length).map(escapeHTML)
  if (!words.length) return html
  const pattern = new RegExp(words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gi")
  return html.replace(pattern, m => `<mark>${m}</mark>`)
}

async function search(query) {
  const d = await loadDocs()
  const text = normalize(query)
  // every character typed may start a term: fetch those files (in parallel, each once)
  const loaded = new Map()
  await Promise.all([...new Set([...text])].map(async ch => loaded.set(ch, await shard(ch))))
  const has = term => term in (loaded.get([...term][0]) || {})
  const terms = cut(query, has)
  if (!terms.length) return { items: [] }
  const score = new Map()
  const found = new Map()
  for (const term of terms) {
    const flat = loaded.get([...term][0])[term] || []
    let doc = 0
    for (let k = 0; k < flat.length; k += 2) {
      doc += flat[k]
      score.set(doc, (score.get(doc) || 0) + flat[k + 1] / SCALE)
      if (!found.has(doc)) found.set(doc, new Set())
      found.get(doc).add(term)
    }
  }
  const final = doc => score.get(doc) * (found.get(doc).size / terms.length) ** 2
  const ranked = [...score.keys()]
    .sort((a, b) => final(b) - final(a) || a - b)
    .slice(0, SHOWN)
  const chunks = new Map()
  await Promise.all([...new Set(ranked.slice(0, TEASERS).map(doc => Math.floor(doc / d.chunk)))]
    .map(async k => chunks.set(k, await snippetChunk(k))))
  const items = ranked.map((doc, rank) => {
    const matched = terms.filter(t => found.get(doc).has(t))
    const chunk = chunks.get(Math.floor(doc / d.chunk))
    const teaser = rank < TEASERS && chunk ? chunk[doc % d.chunk] || "" : ""
    return [{
      location: d.urls[doc],
      title: highlight(d.titles[doc], matched),
      text: highlight(teaser, matched),
      score: final(doc),
      terms: Object.fromEntries(terms.map(t => [t, found.get(doc).has(t)]))
    }]
  })
  return { items }
}

addEventListener("message", async ev => {
  const message = ev.data
  if (message.type === 0) {
    version = (message.data.config && message.data.config.govcases_version) || ""
    postMessage({ type: 1 })
  } else if (message.type === 2) {
    const seq = ++latest
    let data
    try {
      data = await search(message.data)
    } catch (err) {
      console.warn(`govcases search: ${err}`)
      data = { items: [] }
    }
    // Material shows every answer it gets: drop those overtaken by a later keystroke
    if (seq === latest) postMessage({ type: 3, data })
  }
}
)
