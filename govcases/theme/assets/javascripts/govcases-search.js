/* govcases search worker: Material's search worker protocol over the index files in search/gc/.
 *
 * Material posts {type: 0 (SETUP), data: {config, docs, options}} once, then {type: 2 (QUERY), data: text}
 * for every keystroke, and shows each {type: 3 (RESULT), data: {items: [[doc, ...], ...]}} it receives.
 * Instead of indexing every page in the browser, this worker fetches only the files of the characters
 * typed (see govcases/search/sharded.py for the layout) and ranks the pages with the pure functions of
 * govcases-query.js (the cut and the scores), which tests also run under node.
 */
"use strict"

importScripts("govcases-query.js")
const { cut, rank, highlight, normalize, shardName } = self.govcasesQuery

const SHOWN = 200 // results handed to Material (it shows ten, then more as the reader scrolls)
const TEASERS = 10 // results shown with a snippet (Material renders ten before the reader scrolls)

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
  const name = shardName(ch)
  return once(shards, name, `t/${name}.json`)
}

function snippetChunk(k) {
  return once(snippets, k, `x/${k}.json`)
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
  const ranked = rank(terms, term => loaded.get([...term][0])[term], SHOWN)
  const chunks = new Map()
  await Promise.all([...new Set(ranked.slice(0, TEASERS).map(r => Math.floor(r.doc / d.chunk)))]
    .map(async k => chunks.set(k, await snippetChunk(k))))
  const items = ranked.map((r, place) => {
    const matched = terms.filter(t => r.terms[t])
    const chunk = chunks.get(Math.floor(r.doc / d.chunk))
    const teaser = place < TEASERS && chunk ? chunk[r.doc % d.chunk] || "" : ""
    return [{
      location: d.urls[r.doc],
      title: highlight(d.titles[r.doc], matched),
      text: highlight(teaser, matched),
      score: r.score,
      terms: r.terms
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
