/* Rank queries against a built sharded index under node, with the search worker's own functions.
 * Usage: node site_query.js SITE_DIR QUERIES_JSON -> prints {query: [{url, title, score, terms}, ...]} */
"use strict"
const fs = require("fs")
const path = require("path")
const q = require(path.join(__dirname, "..", "..", "govcases", "theme", "assets", "javascripts", "govcases-query.js"))

const [site, queriesJson, limit = "50"] = process.argv.slice(2)
const dir = path.join(site, "search", "gc")
const docs = JSON.parse(fs.readFileSync(path.join(dir, "docs.json"), "utf8"))
const heads = new Set(docs.heads)
const shards = new Map()

function shard(ch) {
  if (!heads.has(ch)) return {}
  const name = q.shardName(ch)
  if (!shards.has(name)) {
    const file = path.join(dir, "t", `${name}.json`)
    shards.set(name, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {})
  }
  return shards.get(name)
}

const out = {}
for (const query of JSON.parse(queriesJson)) {
  const terms = q.cut(query, term => term in shard([...term][0]))
  const ranked = terms.length ? q.rank(terms, term => shard([...term][0])[term], Number(limit)) : []
  out[query] = ranked.map(r => ({ url: docs.urls[r.doc], title: docs.titles[r.doc], score: r.score, terms: r.terms }))
}
process.stdout.write(JSON.stringify(out))
