/*
 * 案例检索 (the finder page): filters data/cases.json in the browser.
 *
 * - Loaded on every page through extra_javascript; does nothing unless the page has #gc-finder.
 * - No outside requests and no build step: plain ES2015+, the only request is data/cases.json, found
 *   from the site root (govcases-site.js, loaded before this file).
 * - The state lives in the query string (?kw=…&type=points&province=四川省…), so a filtered view can be
 *   bookmarked or shared, and reload / back / forward restore it. (`q` is avoided: Material's search
 *   box opens itself when the URL has ?q=.)
 * - Practice types and dimensions are AND-ed (a case must have every selected one); the text box
 *   matches every whitespace-separated word as a substring of the search fields data/cases.json carries
 *   for each case (title, model, place, practice types, keywords, synonyms, summary) with their weights.
 */
(function () {
  "use strict";

  var PAGE = 48; // cards rendered at a time; "显示更多" adds the next batch
  var SELECTS = ["province", "city", "county", "level", "year"];
  var MULTI = ["type", "dim"];

  function start() {
    var root = document.getElementById("gc-finder");
    if (!root || root.getAttribute("data-state") !== "loading") return;
    new Finder(root).load();
  }

  /* ---------- helpers ---------- */

  function norm(s) {
    s = s == null ? "" : String(s);
    return (s.normalize ? s.normalize("NFKC") : s).toLowerCase();
  }

  function terms(kw) {
    return norm(kw)
      .split(/\s+/)
      .map(function (t) { return t.replace(/^[“”"'‘’「」『』《》()（）]+|[“”"'‘’「」『』《》()（）]+$/g, ""); })
      .filter(Boolean);
  }

  // Record text folded from YAML has spaces where lines broke between two Chinese characters.
  var CJK = "[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]";
  var PUNCT = "[\u3000-\u303f\uff00-\uffef“”‘’]";
  var FOLD = new RegExp("(" + CJK + ")\\s+(?=" + CJK + ")|(" + PUNCT + ")\\s+|\\s+(?=" + PUNCT + ")", "g");
  function tidy(s) {
    return s == null ? "" : String(s).replace(FOLD, "$1$2");
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  var collator = (window.Intl && Intl.Collator) ? new Intl.Collator("zh-CN") : null;
  function zhCompare(a, b) {
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  /** `text` with every occurrence of the search terms wrapped in <mark>. */
  function highlighted(text, ts) {
    var frag = document.createDocumentFragment();
    text = text == null ? "" : String(text);
    var low = text.toLowerCase();
    var ranges = [];
    if (ts.length && low.length === text.length) {
      ts.forEach(function (t) {
        for (var i = low.indexOf(t); i !== -1 && t; i = low.indexOf(t, i + t.length)) ranges.push([i, i + t.length]);
      });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
    }
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[1] <= pos) return;
      var from = Math.max(r[0], pos);
      if (from > pos) frag.appendChild(document.createTextNode(text.slice(pos, from)));
      frag.appendChild(el("mark", null, text.slice(from, r[1])));
      pos = r[1];
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  function emptyState() {
    return { kw: "", type: [], dim: [], province: "", city: "", county: "", level: "", year: "" };
  }

  function isEmpty(st) {
    return !st.kw.trim() && !st.type.length && !st.dim.length &&
      SELECTS.every(function (k) { return !st[k]; });
  }

  function toQuery(st) {
    var p = new URLSearchParams();
    if (st.kw.trim()) p.set("kw", st.kw.trim());
    MULTI.forEach(function (k) { st[k].forEach(function (v) { p.append(k, v); }); });
    SELECTS.forEach(function (k) { if (st[k]) p.set(k, st[k]); });
    var q = p.toString();
    return q ? "?" + q : "";
  }

  /* ---------- the finder ---------- */

  function Finder(root) {
    this.root = root;
    this.form = root.querySelector("form");
    this.kw = root.querySelector("#gc-kw");
    this.sel = {};
    var self = this;
    SELECTS.forEach(function (k) { self.sel[k] = root.querySelector("#gc-" + k); });
    this.boxes = { type: root.querySelectorAll("input[name=type]"), dim: root.querySelectorAll("input[name=dim]") };
    this.status = root.querySelector("#gc-status");
    this.filters = root.querySelector("#gc-filters");
    this.toggle = root.querySelector("#gc-toggle");
    this.nsel = root.querySelector("#gc-nsel");
    this.active = root.querySelector("#gc-active");
    this.list = root.querySelector("#gc-results");
    this.moreWrap = root.querySelector(".gc-finder__more");
    this.moreBtn = root.querySelector("#gc-more");
    this.clearBtn = root.querySelector("#gc-clear");
    var vocab = root.getAttribute("data-vocab");  // in an attribute: the page allows no script elements
    this.vocab = vocab ? JSON.parse(vocab) : { synonyms: {}, levels: [] };
    this.state = emptyState();
    this.shown = PAGE;
    this.timer = null;
  }

  Finder.prototype.load = function () {
    var self = this;
    this.rootUrl = window.govcasesSiteRoot();
    var url = new URL("data/cases.json", this.rootUrl);
    this.offline = location.protocol === "file:";
    // A page opened from disk may not fetch(); the same data comes as a script (data/cases.js) instead.
    var data = this.offline ? loadScript(new URL("data/cases.js", this.rootUrl).href)
      : fetch(url.href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
    data.then(function (data) { self.init(data.cases || [], data.search_weights || {}); })
      .catch(function (err) {
        self.root.setAttribute("data-state", "error");
        self.status.textContent = "无法加载案例数据（" + err.message + "）。请刷新页面重试。";
      });
  };

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      window.govcasesFinderData = resolve;
      var s = document.createElement("script");
      s.src = src;
      s.onerror = function () { reject(new Error("无法读取 data/cases.js")); };
      document.head.appendChild(s);
    });
  }

  Finder.prototype.init = function (rows, weights) {
    var self = this;
    var syn = this.vocab.synonyms || {};
    this.typeName = {};
    this.dimName = {};
    this.cases = rows.map(function (c) {
      c = Object.assign({}, c, { title: tidy(c.title), model: tidy(c.model), summary: tidy(c.summary) });
      var place = c.place || {};
      var placeLabel = [place.province, place.city, place.county, place.town, place.village].filter(Boolean).join("");
      var types = c.practice_types || [], dims = c.dimensions || [];
      var typeNames = c.practice_type_names || [], dimNames = c.dimension_names || [];
      types.forEach(function (t, i) { self.typeName[t] = typeNames[i] || t; });
      dims.forEach(function (d, i) { self.dimName[d] = dimNames[i] || d; });
      var typeSyn = {};
      types.forEach(function (t) {
        typeSyn[t] = norm((syn[t] || []).join(" "));
      });
      var dates = (c.sources || []).map(function (s) { return String(s.date || ""); }).sort();
      return {
        raw: c,
        // The copy on disk has cases/<id>.html where the served site has cases/<id>/.
        href: new URL(self.offline ? "cases/" + c.id + ".html" : c.url || ("cases/" + c.id + "/"), self.rootUrl).href,
        placeLabel: placeLabel,
        province: place.province || "", city: place.city || "", county: place.county || "",
        level: c.level || "", year: c.year != null ? String(c.year) : "",
        types: types, dims: dims, typeSyn: typeSyn,
        date: dates.length ? dates[dates.length - 1] : "",
        // [normalized text, weight]: the search fields and weights of the whole site (govcases.search.fields),
        // from data/cases.json; a word found in the title counts more than one found in the summary
        fields: Object.keys(weights).map(function (name) {
          var text = name === "summary" ? c.summary : (c.search || {})[name];
          return [norm(text || ""), weights[name]];
        }),
        score: 0
      };
    });
    // Default order: newest source first, then id (as on the 全部案例 page).
    this.cases.sort(function (a, b) {
      return a.date < b.date ? 1 : a.date > b.date ? -1 : (a.raw.id < b.raw.id ? -1 : a.raw.id > b.raw.id ? 1 : 0);
    });
    this.cases.forEach(function (d, i) { d.order = i; });

    // Where each city and county lies, for links such as ?county=米易县 without the levels above it.
    this.cityProvince = {};
    this.countyParent = {};
    this.cases.forEach(function (d) {
      if (d.city) self.cityProvince[d.city] = d.province;
      if (d.county) self.countyParent[d.county] = { province: d.province, city: d.city };
    });

    this.bind();
    this.root.gcSelection = function () { return self.selection(); };
    this.setState(this.fromQuery(location.search));
    // On a phone the filters fill more than a screen: fold them unless the URL already uses them.
    var st = this.state;
    if (window.matchMedia && matchMedia("(max-width: 44.9375em)").matches &&
        !st.type.length && !st.dim.length && SELECTS.every(function (k) { return !st[k]; })) {
      this.showFilters(false);
    }
    this.root.setAttribute("data-state", "ready");
    this.render();
    this.commit("replace"); // the address now shows what is applied (unknown values dropped)
  };

  /* ---------- state <-> URL <-> controls ---------- */

  Finder.prototype.fromQuery = function (search) {
    var p = new URLSearchParams(search);
    var st = emptyState();
    st.kw = p.get("kw") || "";
    var self = this;
    MULTI.forEach(function (k) {
      var known = {};
      Array.prototype.forEach.call(self.boxes[k], function (b) { known[b.value] = true; });
      p.getAll(k).forEach(function (v) {
        v.split(",").forEach(function (x) { if (known[x] && st[k].indexOf(x) === -1) st[k].push(x); });
      });
    });
    SELECTS.forEach(function (k) { st[k] = p.get(k) || ""; });
    return this.fixPlace(st);
  };

  /** Fill in the province/city above a chosen city/county; drop a city/county outside the chosen province. */
  Finder.prototype.fixPlace = function (st, changed) {
    var up = this.countyParent[st.county];
    if (st.county && !up) st.county = "";
    if (st.city && !(st.city in this.cityProvince)) st.city = "";
    if (changed === "province") {
      if (!st.province) { st.city = ""; st.county = ""; }
      if (st.city && this.cityProvince[st.city] !== st.province && st.province) st.city = "";
      if (st.county && up.province !== st.province && st.province) st.county = "";
    } else if (changed === "city") {
      if (!st.city) st.county = "";
      if (st.city) st.province = this.cityProvince[st.city];
      if (st.county && (up.city !== st.city && st.city)) st.county = "";
    }
    up = this.countyParent[st.county];
    if (st.county) { st.city = up.city || st.city; st.province = up.province; }
    if (st.city) st.province = this.cityProvince[st.city];
    return st;
  };

  Finder.prototype.readControls = function () {
    var st = emptyState(), self = this;
    st.kw = this.kw.value;
    MULTI.forEach(function (k) {
      Array.prototype.forEach.call(self.boxes[k], function (b) { if (b.checked) st[k].push(b.value); });
    });
    SELECTS.forEach(function (k) { st[k] = self.sel[k].value; });
    return st;
  };

  Finder.prototype.setState = function (st) {
    var self = this;
    this.state = st;
    this.shown = PAGE;
    if (this.kw.value !== st.kw) this.kw.value = st.kw;
    MULTI.forEach(function (k) {
      Array.prototype.forEach.call(self.boxes[k], function (b) { b.checked = st[k].indexOf(b.value) !== -1; });
    });
    this.fillPlaceOptions();
    SELECTS.forEach(function (k) {
      var s = self.sel[k];
      s.value = st[k];
      if (s.value !== st[k]) { st[k] = ""; s.value = ""; } // a value the data does not have
    });
  };

  Finder.prototype.commit = function (mode) {
    clearTimeout(this.timer);
    this.timer = null;
    var query = toQuery(this.state);
    if (query === location.search) return;
    var url = location.pathname + query + location.hash;
    try {
      if (mode === "push") history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    } catch (e) { /* some browsers limit history calls; the view is still right */ }
  };

  Finder.prototype.showFilters = function (on) {
    if (!this.filters || !this.toggle) return;
    this.filters.hidden = !on;
    this.toggle.setAttribute("aria-expanded", on ? "true" : "false");
  };

  /* ---------- events ---------- */

  Finder.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.commit("push");
      if (window.matchMedia && matchMedia("(pointer: coarse)").matches) self.kw.blur(); // hide the phone keyboard
    });
    var onText = function (e) {
      if (e.isComposing) return; // wait for the IME to finish (pinyin → 汉字)
      if (self.state.kw === self.kw.value) return;
      self.state.kw = self.kw.value;
      self.shown = PAGE;
      self.render();
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.commit("replace"); }, 400);
    };
    this.kw.addEventListener("input", onText);
    this.kw.addEventListener("compositionend", onText);
    this.form.addEventListener("change", function (e) {
      if (e.target === self.kw) { self.commit("replace"); return; }
      var name = e.target.name;
      var st = self.fixPlace(self.readControls(), name);
      self.setState(st);
      self.render();
      self.commit("push");
    });
    if (this.toggle) this.toggle.addEventListener("click", function () {
      self.showFilters(self.filters.hidden);
    });
    this.clearBtn.addEventListener("click", function () {
      self.setState(emptyState());
      self.render();
      self.commit("push");
      self.kw.focus();
    });
    window.addEventListener("popstate", function () {
      self.setState(self.fromQuery(location.search));
      self.render();
    });
    this.moreBtn.addEventListener("click", function () {
      var first = self.shown;
      self.shown += PAGE;
      self.render();
      var link = self.list.children[first] && self.list.children[first].querySelector("a");
      if (link) link.focus();
    });
    // Tag links inside the cards and the "remove" buttons of the active filters change the state in place.
    this.list.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a.gc-tag") : null;
      if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      self.setState(self.fromQuery(a.search));
      self.render();
      self.commit("push");
      self.status.focus();
    });
    this.active.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button[data-key]") : null;
      if (!b) return;
      var st = self.state, k = b.getAttribute("data-key"), v = b.getAttribute("data-value");
      if (k === "kw") st.kw = "";
      else if (MULTI.indexOf(k) !== -1) st[k] = st[k].filter(function (x) { return x !== v; });
      else {
        st[k] = "";
        if (k === "province") { st.city = ""; st.county = ""; }
        if (k === "city") st.county = "";
      }
      self.setState(st);
      self.render();
      self.commit("push");
      var next = self.active.querySelector("button");
      (next || self.status).focus();
    });
  };

  /* ---------- filtering ---------- */

  Finder.prototype.scoreText = function (ts) {
    this.cases.forEach(function (d) {
      var total = ts.length ? 0 : 1;
      for (var i = 0; i < ts.length; i++) {
        var best = 0;
        for (var j = 0; j < d.fields.length; j++) {
          if (d.fields[j][1] > best && d.fields[j][0].indexOf(ts[i]) !== -1) best = d.fields[j][1];
        }
        if (!best) { total = 0; break; }
        total += best;
      }
      d.score = total;
    });
  };

  /** Does case `d` pass the current filters, ignoring the facets in `skip`? */
  Finder.prototype.passes = function (d, skip) {
    var st = this.state;
    if (!d.score) return false;
    if (!skip.type) for (var i = 0; i < st.type.length; i++) if (d.types.indexOf(st.type[i]) === -1) return false;
    if (!skip.dim) for (var j = 0; j < st.dim.length; j++) if (d.dims.indexOf(st.dim[j]) === -1) return false;
    for (var k = 0; k < SELECTS.length; k++) {
      var key = SELECTS[k];
      if (!skip[key] && st[key] && d[key] !== st[key]) return false;
    }
    return true;
  };

  Finder.prototype.countBy = function (key, skip) {
    var counts = {}, self = this;
    this.cases.forEach(function (d) {
      if (self.passes(d, skip)) counts[d[key]] = (counts[d[key]] || 0) + 1;
    });
    return counts;
  };

  /** City and county lists follow the chosen province / city. */
  Finder.prototype.fillPlaceOptions = function () {
    var st = this.state, cities = {}, counties = {};
    this.cases.forEach(function (d) {
      if (d.city && (!st.province || d.province === st.province)) cities[d.city] = true;
      if (d.county && (!st.province || d.province === st.province) && (!st.city || d.city === st.city)) counties[d.county] = true;
    });
    this.rebuild(this.sel.city, Object.keys(cities).sort(zhCompare));
    this.rebuild(this.sel.county, Object.keys(counties).sort(zhCompare));
  };

  Finder.prototype.rebuild = function (select, values) {
    var keep = select.options[0];
    var now = Array.prototype.slice.call(select.options, 1).map(function (o) { return o.value; });
    if (now.join("\n") === values.join("\n")) return;
    clear(select);
    select.appendChild(keep);
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    });
  };

  Finder.prototype.updateCounts = function (results) {
    var self = this;
    var skips = {
      province: { province: 1, city: 1, county: 1 }, city: { city: 1, county: 1 }, county: { county: 1 },
      level: { level: 1 }, year: { year: 1 }
    };
    SELECTS.forEach(function (k) {
      var counts = self.countBy(k, skips[k]);
      Array.prototype.forEach.call(self.sel[k].options, function (o, i) {
        if (!i) return;
        var label = k === "level" ? o.value + "级" : o.value;
        o.textContent = label + "（" + (counts[o.value] || 0) + "）";
      });
    });
    MULTI.forEach(function (k) {
      var counts = {};
      results.forEach(function (d) {
        (k === "type" ? d.types : d.dims).forEach(function (t) { counts[t] = (counts[t] || 0) + 1; });
      });
      Array.prototype.forEach.call(self.boxes[k], function (b) {
        var n = counts[b.value] || 0;
        var badge = b.parentNode.querySelector(".gc-chip__n");
        if (badge) badge.textContent = String(n);
        b.parentNode.classList.toggle("is-empty", !n && !b.checked);
      });
    });
  };

  /* ---------- rendering ---------- */

  Finder.prototype.render = function () {
    var st = this.state, self = this;
    var ts = terms(st.kw);
    this.scoreText(ts);
    var results = this.cases.filter(function (d) { return self.passes(d, {}); });
    if (ts.length) results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    this.updateCounts(results);
    this.renderActive();

    var total = this.cases.length, n = results.length;
    var text;
    if (isEmpty(st)) text = "共 " + total + " 个案例";
    else if (n) text = "找到 " + n + " 个案例（共 " + total + " 个）";
    else text = "没有符合条件的案例：请减少筛选条件或换个关键词。";
    if (n > this.shown) text += "，先显示前 " + this.shown + " 个";
    if (this.status.textContent !== text) this.status.textContent = text;
    this.root.classList.toggle("is-filtered", !isEmpty(st));
    var nsel = st.type.length + st.dim.length + SELECTS.filter(function (k) { return st[k]; }).length;
    if (this.nsel) this.nsel.textContent = nsel ? "（已选 " + nsel + " 项）" : "";

    this.results = results;
    clear(this.list);
    var frag = document.createDocumentFragment();
    results.slice(0, this.shown).forEach(function (d) { frag.appendChild(self.card(d, ts)); });
    this.list.appendChild(frag);
    this.moreWrap.hidden = n <= this.shown;
    if (n > this.shown) this.moreBtn.textContent = "显示更多（还有 " + (n - this.shown) + " 个）";
  };

  /** What “导出 Word 汇编” exports: the cases shown, in order, and a title naming the filters. */
  Finder.prototype.selection = function () {
    var st = this.state, self = this, parts = [];
    parts.push(st.county || st.city || st.province);
    if (st.year) parts.push(st.year + "年");
    if (st.level) parts.push(st.level + "级");
    parts.push(st.type.map(function (t) { return self.typeName[t] || t; })
      .concat(st.dim.map(function (d) { return self.dimName[d] || d; })).join("、"));
    if (st.kw.trim()) parts.push("“" + st.kw.trim() + "”相关");
    var name = parts.join("");
    return {
      ids: (this.results || []).map(function (d) { return d.raw.id; }),
      title: (name || "乡村治理") + "典型案例汇编"
    };
  };

  Finder.prototype.tagHref = function (key, value) {
    var st = JSON.parse(JSON.stringify(this.state));
    var i = st[key].indexOf(value);
    if (i === -1) st[key].push(value); else st[key].splice(i, 1);
    return location.pathname + toQuery(st);
  };

  Finder.prototype.card = function (d, ts) {
    var c = d.raw, st = this.state, self = this;
    var li = el("li", "gc-card");
    var h = el("h3", "gc-card__title");
    var a = el("a");
    a.href = d.href;
    a.appendChild(highlighted(c.title, ts));
    h.appendChild(a);
    li.appendChild(h);

    var meta = el("p", "gc-card__meta");
    meta.appendChild(highlighted(d.placeLabel, ts));
    meta.appendChild(document.createTextNode(" · " + d.level + "级 · " + d.year + "年"));
    li.appendChild(meta);

    if (c.model) {
      var model = el("p", "gc-card__model", "模式：");
      var q = el("strong");
      q.appendChild(highlighted(c.model, ts));
      model.appendChild(q);
      li.appendChild(model);
    }
    var summary = el("p", "gc-card__summary");
    summary.appendChild(highlighted(c.summary, ts));
    li.appendChild(summary);

    var tags = el("ul", "gc-card__tags");
    tags.setAttribute("aria-label", "类型与维度");
    [["type", d.types, this.typeName], ["dim", d.dims, this.dimName]].forEach(function (g) {
      g[1].forEach(function (id) {
        // 党建引领 is both a practice type and a dimension: one tag is enough.
        if (g[0] === "dim" && d.types.some(function (t) { return self.typeName[t] === self.dimName[id]; })) return;
        var on = st[g[0]].indexOf(id) !== -1;
        var t = el("li");
        var link = el("a", "gc-tag gc-tag--" + g[0] + (on ? " is-active" : ""));
        link.href = self.tagHref(g[0], id);
        link.appendChild(highlighted(g[2][id] || id, ts));
        link.title = (on ? "取消筛选：" : "只看含此项的案例：") + (g[2][id] || id);
        // A word found only among the type's synonyms (小积分 → 积分制) is shown on the type's tag.
        var viaSyn = g[0] === "type" && ts.some(function (t) { return d.typeSyn[id] && d.typeSyn[id].indexOf(t) !== -1; });
        if (viaSyn) {
          link.className += " is-match";
          link.title += "（关键词与此类型的同义词相符）";
        }
        t.appendChild(link);
        tags.appendChild(t);
      });
    });
    // Keywords: the ones the search words hit, then others, four at most.
    var kws = c.keywords || [];
    var hit = kws.filter(function (k) { return ts.some(function (t) { return norm(k).indexOf(t) !== -1; }); });
    kws = hit.concat(kws.filter(function (k) { return hit.indexOf(k) === -1; })).slice(0, Math.max(4, hit.length));
    kws.forEach(function (k) {
      var t = el("li", "gc-tag gc-tag--kw");
      t.appendChild(highlighted(k, ts));
      tags.appendChild(t);
    });
    li.appendChild(tags);
    return li;
  };

  Finder.prototype.renderActive = function () {
    var st = this.state, self = this, items = [];
    if (st.kw.trim()) items.push(["kw", "", "关键词：" + st.kw.trim()]);
    st.type.forEach(function (t) { items.push(["type", t, self.typeName[t] || t]); });
    st.dim.forEach(function (t) { items.push(["dim", t, self.dimName[t] || t]); });
    SELECTS.forEach(function (k) {
      if (st[k]) items.push([k, st[k], k === "level" ? st[k] + "级" : k === "year" ? st[k] + "年" : st[k]]);
    });
    var sig = JSON.stringify(items);
    if (this.activeSig === sig) return;
    this.activeSig = sig;
    clear(this.active);
    items.forEach(function (it) {
      var li = el("li");
      var b = el("button", "gc-active");
      b.type = "button";
      b.setAttribute("data-key", it[0]);
      b.setAttribute("data-value", it[1]);
      b.setAttribute("aria-label", "移除条件：" + it[2]);
      b.appendChild(el("span", null, it[2]));
      var x = el("span", "gc-active__x", "×");
      x.setAttribute("aria-hidden", "true");
      b.appendChild(x);
      li.appendChild(b);
      self.active.appendChild(li);
    });
    this.active.hidden = !items.length;
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
