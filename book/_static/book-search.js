/*
 * Site search that finds the book's own terms: the browser side.
 * (The index is built by bookkit/search.py: its terms are the lowercased words of
 * the text, every term of bookkit/search_terms.txt among them, nothing stemmed.)
 *
 * On the search page this replaces the query path of Sphinx 7.4's searchtools.js,
 * which matches a query word only against whole index terms (partial matches only
 * for words of 3+ characters that are not a term themselves) and stems it first:
 * - a query word matches every index term that contains it (学习 finds 学习率,
 *   softmax finds log_softmax); Latin words of one or two letters match whole terms;
 * - dotted API names stay one word (torch.cat); case is ignored; every word is required;
 * - a Chinese word typed without spaces also matches the pages that hold all of its
 *   parts (交叉熵损失: 交叉熵 + 损失), cut by longest match against the index terms;
 * - snippets are plain text (formulas de-TeXed), cut around the first match in an
 *   exercise (else in the page), and result links carry ?highlight=<the words>.
 * A page opened with ?highlight= marks the words in its article and scrolls to the
 * same first match, with the 简答 and 完整解答 of the exercise that holds it unfolded.
 */
"use strict";

const BookSearch = (() => {
  const HAN = /\p{Script=Han}/u;
  const DOTTED_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/;
  const SNIPPET_BEFORE = 60;
  const SNIPPET_LENGTH = 240;

  /* Query words: lowercased runs of letters, digits and _; dotted names kept whole. */
  const words = (query) => query.toLowerCase()
    .split(/[^\p{L}\p{N}_.]+/u)
    .flatMap((w) => (DOTTED_NAME.test(w) ? [w] : w.split(".")))
    .filter((w) => w && !/^\d+$/.test(w) && !stopwords.includes(w));

  const isTerm = (word) => Search._index.terms.hasOwnProperty(word)
    || Search._index.titleterms.hasOwnProperty(word);

  /* A Chinese word cut by longest match against the index terms (one-character
   * pieces that are no term are left out); [] when it does not split. */
  const parts = (word) => {
    if (!HAN.test(word) || isTerm(word)) return [];
    const found = [];
    for (let i = 0; i < word.length;) {
      let n = word.length - i;
      while (n > 1 && !isTerm(word.substr(i, n))) n--;
      if (n > 1 || isTerm(word[i])) found.push(word.substr(i, n));
      i += n;
    }
    return found.length > 1 ? found : [];
  };

  /* Map of file number -> score for the pages with an index term containing the word. */
  const pagesContaining = (word) => {
    const pages = new Map();
    const partial = HAN.test(word) || word.length > 2;
    const tables = [
      [Search._index.terms, Scorer.term, Scorer.partialTerm],
      [Search._index.titleterms, Scorer.title, Scorer.partialTitle],
    ];
    for (const [table, whole, part] of tables)
      for (const [term, files] of Object.entries(table)) {
        const score = term === word ? whole : partial && term.includes(word) ? part : 0;
        if (score)
          [].concat(files).forEach((f) => pages.set(f, Math.max(pages.get(f) || 0, score)));
      }
    return pages;
  };

  const intersect = (maps) => {
    const [first, ...rest] = maps;
    const result = new Map();
    for (const [file, score] of first)
      if (rest.every((m) => m.has(file)))
        result.set(file, rest.reduce((sum, m) => sum + m.get(file), score));
    return result;
  };

  const pagesMatching = (word) => {
    const pages = pagesContaining(word);
    const pieces = parts(word);
    if (pieces.length)
      for (const [file, score] of intersect(pieces.map(pagesContaining)))
        pages.set(file, Math.max(pages.get(file) || 0, score));
    return pages;
  };

  const parseQuery = (query) => {
    const searchTerms = new Set(words(query));
    const highlightTerms = new Set([...searchTerms].flatMap((w) => [w, ...parts(w)]));
    const objectTerms = new Set(splitQuery(query.toLowerCase().trim()));
    return [query, searchTerms, new Set(), highlightTerms, objectTerms];
  };

  const performTermsSearch = (searchTerms) => {
    if (!searchTerms.size) return [];
    const { docnames, titles, filenames } = Search._index;
    return [...intersect([...searchTerms].map(pagesMatching))].map(
      ([file, score]) => [docnames[file], titles[file], "", null, score, filenames[file]]);
  };

  /* ---- formulas as plain text ------------------------------------------------ */
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ",
    pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ",
    omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ",
    Omega: "Ω", times: "×", cdot: "·", div: "÷", pm: "±", le: "≤", leq: "≤", ge: "≥",
    geq: "≥", ne: "≠", neq: "≠", approx: "≈", equiv: "≡", sim: "∼", propto: "∝", in: "∈",
    notin: "∉", subset: "⊂", subseteq: "⊆", cup: "∪", cap: "∩", infty: "∞", partial: "∂",
    nabla: "∇", sum: "∑", prod: "∏", int: "∫", top: "⊤", to: "→", rightarrow: "→",
    Rightarrow: "⇒", leftarrow: "←", mapsto: "↦", iff: "⇔", forall: "∀", exists: "∃",
    ldots: "…", cdots: "⋯", dots: "…", mid: "|", Vert: "‖", lVert: "‖", rVert: "‖",
    circ: "∘", odot: "⊙", otimes: "⊗", emptyset: "∅", blacksquare: "∎", ell: "ℓ",
    quad: " ", qquad: " ", ",": " ", ";": " ", ":": " ", "!": "", "|": "‖", "\\": " ",
    "{": "{", "}": "}", "%": "%", "#": "#", "&": "&", "_": "_", $: "$",
  };
  const ACCENTS = { hat: "\u0302", widehat: "\u0302", bar: "\u0304", overline: "\u0304",
    tilde: "\u0303", vec: "\u20d7", dot: "\u0307" };
  const NAMES = new Set(["log", "ln", "exp", "max", "min", "sup", "inf", "lim", "arg",
    "sin", "cos", "tan", "tanh", "det", "sgn", "Pr"]);
  const TWO_ARGUMENTS = new Set(["frac", "dfrac", "tfrac", "binom"]);
  const SUPERSCRIPT = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷",
    8: "⁸", 9: "⁹", "+": "⁺", "-": "⁻", "(": "⁽", ")": "⁾", n: "ⁿ", i: "ⁱ", T: "ᵀ", "⊤": "ᵀ" };
  const SUBSCRIPT = { 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇",
    8: "₈", 9: "₉", "+": "₊", "-": "₋", "(": "₍", ")": "₎", a: "ₐ", e: "ₑ", h: "ₕ", i: "ᵢ",
    j: "ⱼ", k: "ₖ", l: "ₗ", m: "ₘ", n: "ₙ", o: "ₒ", p: "ₚ", r: "ᵣ", s: "ₛ", t: "ₜ",
    u: "ᵤ", v: "ᵥ", x: "ₓ" };

  const script = (text, table, mark) => ([...text].every((c) => c in table)
    ? [...text].map((c) => table[c]).join("")
    : mark + ([...text].length > 1 ? `(${text})` : text));
  const grouped = (text) => ([...text].length > 1 ? `(${text})` : text);

  /* Reads TeX from position i of tex: returns [plain text, next position]. */
  const readTeX = (tex, i, stopAtBrace) => {
    let out = "";
    const argument = (j) => {  // one {group} or one token
      while (tex[j] === " ") j++;
      if (tex[j] === "{") return readTeX(tex, j + 1, true);
      if (tex[j] === "\\") return readCommand(j);
      return [tex[j] || "", j + 1];
    };
    const readCommand = (j) => {
      const name = (/^\\([A-Za-z]+|.)/.exec(tex.slice(j)) || ["", ""])[1];
      j += name.length + 1;
      if (tex[j] === "*") j++;  // \operatorname*
      if (name === "begin" || name === "end") return ["", argument(j)[1]];
      if (TWO_ARGUMENTS.has(name)) {
        const [top, k] = argument(j);
        const [bottom, next] = argument(k);
        return [`${grouped(top)}/${grouped(bottom)}`, next];
      }
      if (name === "sqrt") {
        const [inside, next] = argument(j);
        return [`√${grouped(inside)}`, next];
      }
      if (name in ACCENTS) {
        const [inside, next] = argument(j);
        return [[...inside].length === 1 ? inside + ACCENTS[name] : inside, next];
      }
      if (name in SYMBOLS) return [SYMBOLS[name], j];
      if (NAMES.has(name)) return [name, j];
      if (/^[A-Za-z]+$/.test(name) && tex[j] === "{") return argument(j);  // \mathbf{x}, \text{…}
      return ["", j];  // \left, \big, \displaystyle and other layout commands
    };
    while (i < tex.length) {
      const c = tex[i];
      if (c === "}" && stopAtBrace) return [out, i + 1];
      let piece;
      if (c === "\\") [piece, i] = readCommand(i);
      else if (c === "{") [piece, i] = readTeX(tex, i + 1, true);
      else if (c === "^" || c === "_") {
        const [inside, next] = argument(i + 1);
        piece = c === "^" ? script(inside, SUPERSCRIPT, "^") : script(inside, SUBSCRIPT, "_");
        i = next;
      } else {
        piece = c === "&" || c === "}" ? "" : c === "~" ? " " : c;
        i++;
      }
      out += piece;
    }
    return [out, i];
  };

  const plainMath = (tex) => readTeX(
    tex.trim().replace(/^\\[([]|\\[)\]]$|^\$+|\$+$/g, ""), 0, false)[0]
    .replace(/\s+/g, " ").trim();

  /* ---- results ------------------------------------------------------------------ */
  const exerciseSections = (root) => [...root.querySelectorAll("section")]
    .filter((s) => s.querySelector(":scope > .exercise"));

  /* The text a snippet is cut from: the anchored part of the article, else the first
   * exercise that holds a keyword, else the whole article; formulas as plain text. */
  const snippetSource = (htmlString, anchor, keywords) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    const article = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!article) return "";
    article.querySelectorAll(".headerlink, script, style").forEach((e) => e.remove());
    article.querySelectorAll(".math").forEach((e) => { e.textContent = ` ${plainMath(e.textContent)} `; });
    const text = (e) => e.textContent.replace(/\s+/g, " ").trim();
    const id = anchor.split("#")[1];
    const part = id && article.querySelector(`#${CSS.escape(decodeURIComponent(id))}`);
    const holds = (e) => keywords.some((k) => text(e).toLowerCase().includes(k));
    return text(part || exerciseSections(article).find(holds) || article);
  };

  const makeSearchSummary = (htmlString, searchTerms, anchor) => {
    const keywords = [...searchTerms].flatMap((k) => [k, ...parts(k)]);
    const text = snippetSource(htmlString, anchor, keywords);
    if (!text) return null;
    const lower = text.toLowerCase();
    const found = keywords.map((k) => lower.indexOf(k)).filter((i) => i >= 0);
    const start = found.length ? Math.max(Math.min(...found) - SNIPPET_BEFORE, 0) : 0;
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = (start > 0 ? "…" : "") + text.substr(start, SNIPPET_LENGTH).trim()
      + (start + SNIPPET_LENGTH < text.length ? "…" : "");
    return summary;
  };

  const withHighlight = (performSearch) => (query, searchTerms, excluded, highlightTerms, objectTerms) => {
    const mark = `?highlight=${encodeURIComponent([...highlightTerms].join(" "))}`;
    return performSearch(query, searchTerms, excluded, highlightTerms, objectTerms)
      .map(([docname, title, anchor, ...rest]) => [docname, title, mark + anchor, ...rest]);
  };

  const patchSearchPage = () => {
    Search._parseQuery = parseQuery;
    Search.performTermsSearch = performTermsSearch;
    Search.makeSearchSummary = makeSearchSummary;
    Search._performSearch = withHighlight(Search._performSearch);
  };

  /* ---- landing on a result -------------------------------------------------------- */
  const exerciseOf = (element) => {
    for (let s = element.closest("section"); s; s = s.parentElement.closest("section"))
      if (s.querySelector(":scope > .exercise")) return s;
    return null;
  };

  const unfold = (element) => {
    const folded = new Set();
    const exercise = exerciseOf(element);
    if (exercise) exercise.querySelectorAll(":scope > .dropdown").forEach((d) => folded.add(d));
    for (let f = element.closest(".dropdown"); f; f = f.parentElement.closest(".dropdown"))
      folded.add(f);
    folded.forEach((f) => {
      if (f.classList.contains("toggle-hidden")) f.querySelector(":scope > .admonition-title")?.click();
    });
    for (let d = element.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  };

  /* The element of the first text holding a term: in an exercise if any, else anywhere. */
  const firstMatch = (scope, terms) => {
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    let first = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.toLowerCase();
      const element = node.parentElement;
      if (!terms.some((t) => text.includes(t)) || element.closest("script, style, .headerlink"))
        continue;
      if (exerciseOf(element)) return element;
      first = first || element;
    }
    return first;
  };

  /* Marks the terms in the article (sphinx_highlight.js does not: pydata-sphinx-theme
   * loads searchtools.js on every page) and scrolls to the first match once the page
   * has its final layout (images, MathJax). */
  const land = (terms) => {
    const article = document.querySelector("article.bd-article") || document.body;
    terms.forEach((t) => _highlightText(article, t, "highlighted"));
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const match = firstMatch(target || article, terms);
    const done = () => { document.documentElement.dataset.searchLanding = match ? "match" : "none"; };
    if (!match) return done();
    unfold(match);
    const show = () => match.scrollIntoView({ block: "center" });
    show();
    const settle = () => Promise.resolve(window.MathJax?.startup?.promise).then(show).then(done);
    if (document.readyState === "complete") settle();
    else window.addEventListener("load", settle);
  };

  return { patchSearchPage, land, plainMath };
})();

{
  // Jupyter Book loads this script in the head of every page, before searchtools.js
  // (which pydata-sphinx-theme loads on every page, not only on the search page).
  const highlight = new URLSearchParams(window.location.search).get("highlight");
  const terms = (highlight || "").toLowerCase().split(/\s+/).filter((t) => t);
  document.addEventListener("DOMContentLoaded", () => {
    if (typeof Search !== "undefined") BookSearch.patchSearchPage();  // runs before Search.init
    if (terms.length && !document.getElementById("search-results"))
      setTimeout(() => BookSearch.land(terms));  // after togglebutton has folded the blocks
  });
}
