/*
 * govcases study tools: the “导出 Word 汇编” buttons (a .docx made in the browser) and the print button.
 *
 * - No outside requests, no server: the case data comes from data/compile/<k>.js, loaded with <script>
 *   tags, which a page opened from disk (file://) may do where fetch() may not.
 * - The .docx is written here: a few WordprocessingML parts in a ZIP archive (CRC-32; entries deflated by
 *   the browser's CompressionStream where it has one, else stored), which Word, WPS and LibreOffice open. Typesetting follows
 *   GB/T 9704 as the template downloads do (govcases/downloads/docx.py): A4, 仿宋_GB2312 三号 body with
 *   exact 28.95 pt lines, 黑体 / 楷体 headings, 方正小标宋 titles, page numbers “— N —” in the footer.
 * - Record text is untrusted: every piece goes through xml() and no record text reaches the page's HTML.
 */
(function () {
  "use strict";

  var MAX_CASES = 500; // one 汇编 at most; more would be a book nobody prints (and a slow download)

  /* ---------- ZIP (stored) ---------- */

  var CRC_TABLE = (function () {
    var t = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  function crc32(bytes) {
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  /** Raw DEFLATE of `bytes` where the browser has CompressionStream (a tenth of the size), else null. */
  function deflate(bytes) {
    if (typeof CompressionStream !== "function") return Promise.resolve(null);
    try {
      var stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
      return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); },
        function () { return null; });
    } catch (e) {
      return Promise.resolve(null); // an older browser without "deflate-raw": the entry is stored
    }
  }

  /** A ZIP archive of `files` ([name, text] pairs), deflated where possible, else stored: a Promise of a Blob. */
  function zip(files) {
    var entries = files.map(function (f) {
      var data = utf8(f[1]);
      return deflate(data).then(function (packed) {
        return { name: utf8(f[0]), data: data, crc: crc32(data), packed: packed };
      });
    });
    return Promise.all(entries).then(function (list) {
      var chunks = [], central = [], offset = 0;
      // 1980-01-01 00:00 in DOS time: a fixed stamp, the date is in docProps/core.xml
      var DOS_TIME = 0, DOS_DATE = (0 << 9) | (1 << 5) | 1;
      list.forEach(function (f) {
        var body = f.packed || f.data, method = f.packed ? 8 : 0;
        var local = new DataView(new ArrayBuffer(30));
        local.setUint32(0, 0x04034b50, true);
        local.setUint16(4, 20, true);
        local.setUint16(6, 0x0800, true); // names are UTF-8
        local.setUint16(8, method, true);
        local.setUint16(10, DOS_TIME, true);
        local.setUint16(12, DOS_DATE, true);
        local.setUint32(14, f.crc, true);
        local.setUint32(18, body.length, true);
        local.setUint32(22, f.data.length, true);
        local.setUint16(26, f.name.length, true);
        local.setUint16(28, 0, true);
        var head = new DataView(new ArrayBuffer(46));
        head.setUint32(0, 0x02014b50, true);
        head.setUint16(4, 20, true);
        head.setUint16(6, 20, true);
        head.setUint16(8, 0x0800, true);
        head.setUint16(10, method, true);
        head.setUint16(12, DOS_TIME, true);
        head.setUint16(14, DOS_DATE, true);
        head.setUint32(16, f.crc, true);
        head.setUint32(20, body.length, true);
        head.setUint32(24, f.data.length, true);
        head.setUint16(28, f.name.length, true);
        head.setUint32(42, offset, true);
        chunks.push(local.buffer, f.name, body);
        central.push(head.buffer, f.name);
        offset += 30 + f.name.length + body.length;
      });
      var size = central.reduce(function (n, c) { return n + c.byteLength; }, 0);
      var end = new DataView(new ArrayBuffer(22));
      end.setUint32(0, 0x06054b50, true);
      end.setUint16(8, list.length, true);
      end.setUint16(10, list.length, true);
      end.setUint32(12, size, true);
      end.setUint32(16, offset, true);
      return new Blob(chunks.concat(central, [end.buffer]),
        { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    });
  }

  /* ---------- WordprocessingML ---------- */

  // Characters XML 1.0 does not allow (record text is untrusted), then the five that need escaping.
  var BAD_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g;
  function xml(text) {
    return String(text == null ? "" : text).replace(BAD_XML, "$1")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  var FONTS = { title: "方正小标宋简体", body: "仿宋_GB2312", h1: "黑体", h2: "楷体_GB2312", page: "宋体" };
  // [font named in the file, font used where it is not installed] as docx.py declares them
  var FALLBACKS = [["方正小标宋简体", "宋体"], ["仿宋_GB2312", "仿宋"], ["黑体", "SimHei"], ["楷体_GB2312", "楷体"],
    ["宋体", "SimSun"], ["仿宋", "FangSong"], ["楷体", "KaiTi"]];
  var LINE = 579; // 28.95 pt in twentieths: 22 lines in the 225 mm type area
  var INDENT = 640; // two characters of 三号 (16 pt)
  var NUM = "一二三四五六七八九十";

  function fonts(east) {
    return '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="' +
      east + '" w:hint="eastAsia"/>';
  }

  function run(text, props) {
    return "<w:r>" + (props ? "<w:rPr>" + props + "</w:rPr>" : "") +
      '<w:t xml:space="preserve">' + xml(text) + "</w:t></w:r>";
  }

  function para(content, opts) {
    opts = opts || {};
    var ppr = (opts.style ? '<w:pStyle w:val="' + opts.style + '"/>' : "") +
      (opts.keepNext ? "<w:keepNext/>" : "") + (opts.breakBefore ? "<w:pageBreakBefore/>" : "") +
      (opts.tabs || "") + (opts.noIndent ? '<w:ind w:firstLine="0"/>' : "") +
      (opts.jc ? '<w:jc w:val="' + opts.jc + '"/>' : "");
    return "<w:p>" + (ppr ? "<w:pPr>" + ppr + "</w:pPr>" : "") + content + "</w:p>";
  }

  function text(t, opts) { return para(run(t), opts); }

  function field(instr, shown, props) {
    var rp = props ? "<w:rPr>" + props + "</w:rPr>" : "";
    return "<w:r>" + rp + '<w:fldChar w:fldCharType="begin"/></w:r><w:r>' + rp + '<w:instrText xml:space="preserve"> ' +
      instr + " </w:instrText></w:r><w:r>" + rp + '<w:fldChar w:fldCharType="separate"/></w:r>' +
      run(shown, props) + "<w:r>" + rp + '<w:fldChar w:fldCharType="end"/></w:r>';
  }

  function cell(content, width, header) {
    return '<w:tc><w:tcPr><w:tcW w:w="' + width + '" w:type="dxa"/></w:tcPr>' +
      para(run(content, header ? fonts(FONTS.h1) : ""), { style: "TableText", jc: header ? "center" : null }) +
      "</w:tc>";
  }

  function table(header, rows, widths) {
    var grid = widths.map(function (w) { return '<w:gridCol w:w="' + w + '"/>'; }).join("");
    var out = '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="' +
      widths.reduce(function (a, b) { return a + b; }, 0) + '" w:type="dxa"/><w:jc w:val="center"/>' +
      '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>' + grid + "</w:tblGrid>";
    out += '<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>' +
      header.map(function (h, i) { return cell(h, widths[i], true); }).join("") + "</w:tr>";
    rows.forEach(function (r) {
      out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>" +
        r.map(function (v, i) { return cell(v, widths[i], false); }).join("") + "</w:tr>";
    });
    return out + "</w:tbl>";
  }

  function sectionNo(i) { return (i <= 10 ? NUM[i - 1] : "十" + NUM[i - 11]) + "、"; }

  /* Page numbers for the table of contents. Word recomputes them (updateFields) and LibreOffice lays out
     PAGEREF fields itself, but WPS and a Word told not to update show what the file holds: an estimate from
     the type area (27 characters of 三号 a line, 22 lines a page). */
  var PER_LINE = 27, PER_PAGE = 22;

  function width(t) {
    var w = 0;
    for (var i = 0; i < t.length; i++) w += t.charCodeAt(i) < 0x2e80 ? 0.5 : 1;
    return w;
  }

  function lines(t, perLine, indent) {
    return Math.max(1, Math.ceil((width(t) + (indent == null ? 2 : indent)) / (perLine || PER_LINE)));
  }

  /** The body paragraphs of one case and the lines they fill; `n` is its number (bookmark and TOC anchor). */
  function caseXml(c, n) {
    var out = [], sec = 0, used = 0;
    function text(t, opts) {
      used += opts && opts.style === "Note" ? lines(t, 31) * 0.85 : lines(t);
      return para(run(t), opts);
    }
    var mark = "_gcCase" + n;
    out.push('<w:p><w:pPr><w:pStyle w:val="CaseTitle"/><w:pageBreakBefore/></w:pPr>' +
      '<w:bookmarkStart w:id="' + n + '" w:name="' + mark + '"/>' + run(c.title) +
      '<w:bookmarkEnd w:id="' + n + '"/></w:p>');
    used += lines(c.title, 20, 0) * 1.25;
    out.push(text(c.place + " · " + c.level + " · " + c.year + "年", { style: "Subtitle" }));
    function heading(t) { sec += 1; out.push(text(sectionNo(sec) + t, { style: "Heading2" })); }
    // the editors' own text: a heading and a note that say so, then one "label：text" paragraph per entry
    function editorial(title, note, entries) {
      heading(title);
      out.push(text(note, { style: "Note" }));
      entries.forEach(function (e) {
        used += lines(e[0] + "：" + e[1]);
        out.push(para(run(e[0] + "：", fonts(FONTS.h2)) + run(e[1])));
      });
    }
    heading("基本情况");
    var facts = [["地点", c.place], ["实施层级", c.level]];
    if (c.model) facts.push(["命名模式", "“" + c.model + "”"]);
    facts.push(["实践类型", c.types.join("、")], ["治理维度", c.dims.join("、")], ["年份", c.year + "年"]);
    if (c.as_of) facts.push(["时间基准", c.as_of]);
    if (c.recognition.length) facts.push(["获得认定", c.recognition.join("；")]);
    facts.forEach(function (f) {
      used += lines(f[0] + "：" + f[1]);
      out.push(para(run(f[0] + "：", fonts(FONTS.h1)) + run(f[1])));
    });
    if (c.evidence && c.evidence.length) {
      // why the case is filed under each type and dimension: the editors' judgement, marked as on the page
      editorial("分类依据（编者判断，非原文内容）",
        "以下是案例库编者对本案例归入上述实践类型和治理维度的说明，不是来源原文的内容。", c.evidence);
    }
    heading("案例摘要");
    out.push(text(c.summary));
    if (c.background) { heading("背景与问题"); out.push(text(c.background)); }
    heading("主要做法");
    c.measures.forEach(function (m, i) {
      out.push(text("（" + sectionNo(i + 1).slice(0, -1) + "）" + m[0], { style: "Heading3" }));
      if (m[1]) {
        used += lines("责任主体：" + m[1]);
        out.push(para(run("责任主体：", fonts(FONTS.h2)) + run(m[1])));
      }
      m[2].forEach(function (a, j) { out.push(text((j + 1) + ". " + a)); });
    });
    if (c.procedures && c.procedures.length) {
      heading("具名做法的条目");
      c.procedures.forEach(function (p, i) {
        out.push(text("（" + sectionNo(i + 1).slice(0, -1) + "）" + p.name, { style: "Heading3" }));
        if (p.partial) out.push(text(p.partial));
        // every item in the source's order; the actor only where the source names one
        p.steps.forEach(function (s, j) {
          var actor = s[1] ? "（实施主体：" + s[1] + "）" : "";
          used += lines((j + 1) + ". " + s[0] + actor);
          out.push(para(run((j + 1) + ". " + s[0]) + (actor ? run(actor, fonts(FONTS.h2)) : "")));
        });
        if (p.note) out.push(text(p.note));
      });
    }
    heading("主要成效");
    c.results.forEach(function (r, j) { out.push(text((j + 1) + ". " + r)); });
    if (c.figures.length) {
      heading("关键数据");
      out.push(table(["指标", "数值", "说明"], c.figures, [3600, 2100, 3140]));
      // 小四 cells, single spaced (about 0.55 of a body line), 14 / 8 / 12 characters wide
      used += 0.55 * c.figures.reduce(function (sum, f) {
        return sum + Math.max(lines(f[0], 14, 0), lines(f[1], 8, 0), lines(f[2], 12, 0)) + 0.4;
      }, 1.4);
    }
    if (c.analysis.length) {
      editorial("编者分析（非原文内容）", "以下是案例库编者根据来源所作的分析，不是来源原文的内容，仅供参考。", c.analysis);
    }
    heading("来源");
    c.sources.forEach(function (s, j) { out.push(text((j + 1) + ". " + s)); });
    if (c.page) out.push(text("案例页面：" + c.page, { style: "Note" }));
    out.push(text("案例编号：" + c.id, { style: "Note" }));
    return { xml: out.join(""), pages: Math.max(1, Math.ceil(used / PER_PAGE)) };
  }

  function chineseDate(d) {
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }

  /** The whole document.xml: cover, table of contents (a TOC field Word and LibreOffice can refresh), cases. */
  function documentXml(title, cases, date) {
    var body = [];
    body.push(text("", {}), text("", {}), text("", {}));
    body.push(text(title, { style: "Title" }));
    body.push(text("", {}));
    body.push(text("善治案例库　编", { style: "Subtitle" }));
    body.push(text(chineseDate(date), { style: "Subtitle" }));
    body.push(text("目　录", { style: "TocHeading", breakBefore: true }));
    var parts = cases.map(function (c, i) { return caseXml(c, i + 1); });
    var tocLines = 1 + cases.reduce(function (n, c, i) { return n + lines((i + 1) + ". " + c.title + "……99", 0, 0); }, 0);
    var page = 2 + Math.ceil(tocLines / PER_PAGE);
    // The entries link to each case's bookmark; their page numbers are PAGEREF fields (see PER_LINE).
    cases.forEach(function (c, i) {
      var entry = '<w:hyperlink w:anchor="_gcCase' + (i + 1) + '" w:history="1">' + run((i + 1) + ". " + c.title) +
        run("\t") + field("PAGEREF _gcCase" + (i + 1) + " \\h", String(page)) + "</w:hyperlink>";
      body.push(para(entry, { style: "TOC1" }));
      page += parts[i].pages;
    });
    parts.forEach(function (p) { body.push(p.xml); });
    var sect = '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/>' +
      '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="850" w:footer="1361" w:gutter="0"/>' +
      '<w:titlePg/><w:docGrid w:type="lines" w:linePitch="' + LINE + '"/></w:sectPr>';
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + W + "><w:body>" +
      body.join("") + sect + "</w:body></w:document>";
  }

  function style(id, name, font, size, ppr, extra) {
    return '<w:style w:type="paragraph" w:styleId="' + id + '"><w:name w:val="' + name + '"/>' +
      '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>' + (extra || "") + "<w:pPr>" + (ppr || "") + "</w:pPr>" +
      "<w:rPr>" + fonts(font) + '<w:sz w:val="' + size + '"/><w:szCs w:val="' + size + '"/></w:rPr></w:style>';
  }

  function stylesXml() {
    var exact = '<w:spacing w:before="0" w:after="0" w:line="' + LINE + '" w:lineRule="exact"/>';
    var centred = '<w:ind w:firstLine="0"/><w:jc w:val="center"/>';
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ' + W + ">" +
      "<w:docDefaults><w:rPrDefault><w:rPr>" + fonts(FONTS.body) +
      '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>' +
      "<w:pPrDefault><w:pPr>" + exact + "</w:pPr></w:pPrDefault></w:docDefaults>" +
      '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>' +
      '<w:pPr><w:widowControl w:val="0"/>' + exact + '<w:ind w:firstLine="' + INDENT + '"/><w:jc w:val="both"/></w:pPr>' +
      "<w:rPr>" + fonts(FONTS.body) + '<w:color w:val="000000"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>' +
      style("Title", "Title", FONTS.title, 44, '<w:spacing w:before="0" w:after="0" w:line="720" w:lineRule="exact"/>' +
        centred) +
      style("Subtitle", "Subtitle", FONTS.h2, 32, centred) +
      style("CaseTitle", "heading 1", FONTS.title, 44, '<w:keepNext/><w:spacing w:before="0" w:after="0" ' +
        'w:line="720" w:lineRule="exact"/>' + centred + '<w:outlineLvl w:val="0"/>', "<w:qFormat/>") +
      style("Heading2", "heading 2", FONTS.h1, 32, '<w:keepNext/><w:outlineLvl w:val="1"/>', "<w:qFormat/>") +
      style("Heading3", "heading 3", FONTS.h2, 32, '<w:keepNext/><w:outlineLvl w:val="2"/>', "<w:qFormat/>") +
      style("TocHeading", "TOC Heading", FONTS.h1, 32, centred) +
      style("TOC1", "toc 1", FONTS.body, 32, '<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="8845"/></w:tabs>' +
        '<w:ind w:left="0" w:firstLine="0"/>') +
      style("TableText", "Table Text", FONTS.body, 24, '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" ' +
        'w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>') +
      style("Note", "Note", FONTS.h2, 28, '<w:jc w:val="left"/>') +  // justified, a line with a long URL spreads its words
      style("Footer", "footer", FONTS.page, 28, centred) +
      '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>' +
      ["top", "left", "bottom", "right", "insideH", "insideV"].map(function (b) {
        return "<w:" + b + ' w:val="single" w:sz="4" w:space="0" w:color="000000"/>';
      }).join("") + '</w:tblBorders><w:tblCellMar><w:left w:w="100" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>' +
      "</w:tblCellMar></w:tblPr></w:style></w:styles>";
  }

  function fontTableXml() {
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts ' + W + ">" +
      '<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/></w:font>' +
      FALLBACKS.map(function (f) {
        return '<w:font w:name="' + f[0] + '"><w:altName w:val="' + f[1] + '"/><w:charset w:val="86"/>' +
          '<w:family w:val="' + (f[0] === "黑体" ? "modern" : "roman") + '"/><w:pitch w:val="fixed"/></w:font>';
      }).join("") + "</w:fonts>";
  }

  function footerXml() {
    var props = fonts(FONTS.page) + '<w:sz w:val="28"/><w:szCs w:val="28"/>';
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr ' + W + ">" +
      para(run("— ", props) + field("PAGE", "1", props) + run(" —", props), { style: "Footer" }) + "</w:ftr>";
  }

  /** The .docx of `cases` (compile views, in order): a Promise of a Blob. */
  function makeDocx(title, cases, date) {
    var rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    var iso = date.toISOString().replace(/\.\d+Z$/, "Z");
    return zip([
      ["[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>' +
        '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>' +
        '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        "</Types>"],
      ["_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="' + rel + 'officeDocument" Target="word/document.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
        "</Relationships>"],
      ["word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rIdStyles" Type="' + rel + 'styles" Target="styles.xml"/>' +
        '<Relationship Id="rIdSettings" Type="' + rel + 'settings" Target="settings.xml"/>' +
        '<Relationship Id="rIdFonts" Type="' + rel + 'fontTable" Target="fontTable.xml"/>' +
        '<Relationship Id="rIdFooter" Type="' + rel + 'footer" Target="footer1.xml"/>' +
        "</Relationships>"],
      ["word/document.xml", documentXml(title, cases, date)],
      ["word/styles.xml", stylesXml()],
      // updateFields: Word offers to fill in the table of contents' page numbers when the file opens.
      ["word/settings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings ' + W + ">" +
        '<w:updateFields w:val="true"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>' +
        "</w:settings>"],
      ["word/fontTable.xml", fontTableXml()],
      ["word/footer1.xml", footerXml()],
      ["docProps/core.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>' + xml(title) + "</dc:title>" +
        "<dc:creator>善治案例库</dc:creator><dc:language>zh-CN</dc:language>" +
        '<dcterms:created xsi:type="dcterms:W3CDTF">' + iso + "</dcterms:created></cp:coreProperties>"]
    ]);
  }

  /* ---------- loading the case data (from the site root: govcases-site.js) ---------- */

  function shardOf(id, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    return h % shards;
  }

  var loaded = {}, waiting = {};
  window.govcasesCompileData = function (k, cases) {
    loaded[k] = cases;
    (waiting[k] || []).forEach(function (w) { w[0](cases); });
    delete waiting[k];
  };

  function loadShard(k) {
    if (loaded[k]) return Promise.resolve(loaded[k]);
    return new Promise(function (resolve, reject) {
      if (waiting[k]) { waiting[k].push([resolve, reject]); return; }
      waiting[k] = [[resolve, reject]];
      var s = document.createElement("script");
      s.src = new URL("data/compile/" + k + ".js", window.govcasesSiteRoot()).href;
      s.onerror = function () {
        (waiting[k] || []).forEach(function (w) { w[1](new Error("无法读取 data/compile/" + k + ".js")); });
        delete waiting[k];
      };
      document.head.appendChild(s);
    });
  }

  /** The compile views of `ids`, in that order. */
  function casesFor(ids, shards) {
    var need = {};
    ids.forEach(function (id) { need[shardOf(id, shards)] = true; });
    return Promise.all(Object.keys(need).map(loadShard)).then(function () {
      return ids.map(function (id) {
        var c = loaded[shardOf(id, shards)][id];
        if (!c) throw new Error("案例数据中没有 " + id);
        // A file:// address means nothing to the people a 汇编 is sent to: only a served page is named.
        var page = /^https?:$/.test(location.protocol) ? new URL(c.url, window.govcasesSiteRoot()).href : "";
        return Object.assign({ page: page }, c);
      });
    });
  }

  /* ---------- buttons ---------- */

  function fileName(title) {
    return title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").slice(0, 80) + ".docx";
  }

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 60000);
  }

  function say(button, message) {
    var box = button.parentNode.querySelector(".gc-compile__status");
    if (box) box.textContent = message;
  }

  /** What a button exports: the finder's current selection, or the list written into the page. */
  function selection(button) {
    var finder = button.closest("#gc-finder");
    if (finder && finder.gcSelection) return finder.gcSelection();
    return { ids: (button.getAttribute("data-gc-ids") || "").split(" ").filter(Boolean),
      title: button.getAttribute("data-gc-title") || "典型案例汇编" };
  }

  function compile(button) {
    var sel = selection(button);
    var n = sel.ids.length;
    if (!n) { say(button, "没有可导出的案例。"); return; }
    if (n > MAX_CASES) {
      say(button, "一次最多导出 " + MAX_CASES + " 个案例（当前 " + n + " 个），请在案例检索中增加筛选条件。");
      return;
    }
    var shards = parseInt(button.getAttribute("data-gc-shards") || "1", 10) || 1;
    var title = sel.title + "（" + n + "个）";
    button.disabled = true;
    say(button, "正在生成 Word 文件…");
    casesFor(sel.ids, shards).then(function (cases) {
      return makeDocx(title, cases, new Date());
    }).then(function (blob) {
      download(blob, fileName(title));
      say(button, "已生成《" + title + "》，共 " + n + " 个案例。");
    }).catch(function (err) {
      say(button, "生成失败：" + err.message);
    }).then(function () { button.disabled = false; });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.gc-compile, button.gc-print") : null;
    if (!b) return;
    if (b.classList.contains("gc-print")) window.print();
    else compile(b);
  });

  // The printed case card names the page it came from.
  function pageAddress() {
    var here = location.href.split("#")[0].split("?")[0];
    Array.prototype.forEach.call(document.querySelectorAll(".gc-page-url"), function (e) { e.textContent = here; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", pageAddress);
  else pageAddress();

  window.govcasesStudy = { makeDocx: makeDocx, casesFor: casesFor, shardOf: shardOf };
})();
