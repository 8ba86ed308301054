"""Search step: corrections to Material's built search scripts, made by exact replacement.

Material 9.8's search worker has two defects (NOTES.md, "Search"): Han query pieces are joined
with "* " and the query transform adds another "*", so every piece but the last is checked as
`对比**`, fails, and the hit is shown as missing it; and the segmenter's loop stops one short, so
no piece ending at the query's last character is looked up (对比学习 -> 对比, 学). The worker
also learns here to read a query typed in the other script (繁/简, Taiwan phrasing) through the
edition's variant table (qa_search_index.variant_table), to put the hits that hold every term of
the query before the others and count only those (the theme's count was every hit holding any
word the index split the query into: 潜在扩散模型 announced the questions holding 潜在, 扩散 or 模型).

Each replacement must match exactly once in the file Material ships; anything else fails the
build with a message that names the replacement, because a silently skipped fix would bring the
defect back unnoticed after an upgrade.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PatchError(Exception):
    """A replacement no longer matches the theme's script: the theme changed; review the fix."""


@dataclass(frozen=True)
class Patch:
    """One exact replacement in a built script, and why it is there."""

    name: str
    old: str
    new: str


# Functions the patched worker calls. __qaVariants: query text in the other script becomes the
# edition's script before Material splits it; the table comes with the index (config.variants):
# longest phrase first, then character by character.
WORKER_HELPERS = (
    "var __qaVariants=function(t){if(!t)return null;var c={},w=t.words||{},n=1,s=Array.from(t.chars||'');"
    "for(var i=0;i+1<s.length;i+=2)c[s[i]]=s[i+1];for(var k in w)n=Math.max(n,k.length);"
    "return function(q){var o='',i=0;while(i<q.length){var f=0;for(var l=Math.min(n,q.length-i);l>1;l--)"
    "{var p=q.substr(i,l);if(Object.prototype.hasOwnProperty.call(w,p)){o+=w[p];i+=l;f=1;break}}"
    "if(!f){var h=q.codePointAt(i),u=String.fromCodePoint(h);o+=c[u]||u;i+=u.length}}return o}};\n"
    # A Han piece of the query that the hit's own text contains is not "missing", even where the
    # index split that text differently (文生视频 indexed as 文/生/视频, 使用 for 用).
    "var __qaFound=function(t,d){var s=((d.title||'')+' '+(d.text||'')).replace(/\\u200b/g,'');"
    "for(var k in t)if(!t[k]&&/\\p{sc=Han}/u.test(k)&&s.indexOf(k)>=0)t[k]=!0;return t};\n"
    # Whole terms first and an honest count. A term is a space-separated piece of the query (a run
    # of Han characters is one term, a quoted phrase is one term); a question holds it when its
    # title, text, names or English title contain it (case folded; a Latin term only at the start
    # of a word, so DiT is not found in "edit"). Hits holding every term come first and are the
    # ones counted (`whole`); the rest keep their place after them, each marked with the terms it
    # lacks, and no hit is marked missing a term it holds.
    # Terms the query excludes (-LoRA) are left out, and listed in `not` (the hits must lack them).
    "var __qaTerms=function(q){var o=[],x=[],m,r=/\"([^\"]+)\"|(\\S+)/g;while(m=r.exec(q||'')){var t=m[1]||m[2],l=o;"
    "if(!m[1]){if(t[0]=='-'){l=x;t=t.slice(1)}t=t.replace(/^\\+/,'').replace(/[*~^][\\d.]*$/,'').replace(/\\*+/g,'')}"
    "t=t.trim().replace(/(\\p{sc=Han})\\s+(?=\\p{sc=Han})/gu,'$1');"
    "if(t&&l.every(function(y){return y.key!=t.toLowerCase()}))l.push({shown:t,key:t.toLowerCase()})}o.not=x;return o};\n"
    # Han words the index split (with U+200B or a line break) are read joined, Latin words apart.
    "var __qaHaystack=function(d){return [d.title,d.text,d.names,d.english].join(' ').replace(/<[^>]*>/g,' ')"
    ".replace(/\\u200b/g,' ').replace(/(\\p{sc=Han})\\s+(?=\\p{sc=Han})/gu,'$1').replace(/&lt;/g,'<').replace(/&gt;/g,'>').replace(/&quot;/g,'\"').replace(/&#39;/g,\"'\")"
    ".replace(/&amp;/g,'&').toLowerCase()};\n"
    # A Latin term's test is one regular expression, made once per query: typing "l" must not walk
    # every "l" of every answer.
    "var __qaHolds=function(s,t){var k=typeof t=='string'?t:t.key;if(!/^[a-z0-9]/.test(k))return s.indexOf(k)>=0;"
    "var r=t.re||new RegExp('(?<![a-z0-9])'+k.replace(/[.*+?^${}()|[\\]\\\\]/g,'\\\\$&'));if(typeof t!='string')t.re=r;"
    "return r.test(s)};\n"
    # A question that holds the terms but that the index split differently (光流 inside 用光 + 流)
    # is still one of the questions holding them: it joins the whole hits, after the ranked ones,
    # with the first paragraph or list item that holds a term as its snippet.
    "var __qaBlock=function(h,ts){var b=(h||'').split(/<\\/?(?:p|li|ul|ol|h\\d|div|table|tr|td|th|pre)(?:\\s[^>]*)?>/);"
    "for(var i=0;i<b.length;i++){var s=__qaHaystack({text:b[i]});if(s.trim()&&ts.some(function(t){return __qaHolds(s,t)}))"
    "return '<p>'+b[i].trim()+'</p>'}return ''};\n"
    "var __qaHonest=function(q,res,map,cache){var ts=__qaTerms(q),whole=[],part=[],seen=new Set;"
    "var hay=function(d){var s=cache.get(d.location);if(s===undefined){s=__qaHaystack(d);cache.set(d.location,s)}return s};"
    "res.items.forEach(function(g){var d=map.get(g[0].location)||g[0],s=hay(d);seen.add(d.location);"
    "var lack=ts.filter(function(t){return !__qaHolds(s,t)});"
    "g.forEach(function(it){var n={};for(var k in it.terms)if(it.terms[k]||!lack.length)n[k]=!0;"
    "lack.forEach(function(t){n[t.shown]=!1});if(!lack.length&&!Object.keys(n).length)"
    "ts.forEach(function(t){n[t.shown]=!0});it.terms=n});(lack.length?part:whole).push(g)});"
    "if(ts.length)map.forEach(function(d,l){if(!seen.has(l)&&!d.parent&&ts.every(function(t){return __qaHolds(hay(d),t)})"
    "&&!ts.not.some(function(t){return __qaHolds(hay(d),t)})){"
    "var n={};ts.forEach(function(t){n[t.shown]=!0});whole.push([Object.assign({},d,{score:0,terms:n,text:__qaBlock(d.text,ts)})])}});"
    "res.items=whole.concat(part);res.whole=whole.length;return res};\n"
)

WORKER_PATCHES = (
    Patch("join Han query pieces with a space (the query transform adds the one '*')",
          '.join("* ")),e=ce(e)', '.join(" ")),e=ce(e)'),
    Patch("look up query pieces that end at the query's last character",
          "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);",
          "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);"),
    Patch("continue segmenting at a piece that ends one before the last character",
          "n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
    # The index holds one entry per question and no page entries (qa_search_index): each entry is
    # a result of its own, keyed by its own address, instead of the first one of a page standing
    # for the page and hiding the others under it.
    Patch("key each entry by its own address, with no parent page",
          'typeof i=="undefined"?e.set(n,r):(e.set(r.location,r),r.parent=i)', "e.set(r.location,r)"),
    Patch("read the edition's variant table with the index",
          "constructor({config:e,docs:r,options:n}){",
          "constructor({config:e,docs:r,options:n}){this.qaVariants=__qaVariants(e.variants);"),
    # Full-width letters and spaces (ＬｏＲＡ, an ideographic space) become the ones the index holds,
    # then a query in the other script becomes the edition's.
    Patch("normalise width and convert a query in the other script before it is split",
          'search(e){if(e=e.replace(new RegExp("\\\\p{sc=Han}+","gu")',
          'search(e){if(e=e.normalize("NFKC"),this.qaVariants&&(e=this.qaVariants(e)),this.qaQuery=e,'
          'e=e.replace(new RegExp("\\\\p{sc=Han}+","gu")'),
    Patch("a query piece the hit's text contains is not shown as missing",
          "let f=he(r,Object.keys(u.metadata));", "let f=__qaFound(he(r,Object.keys(u.metadata)),c);"),
    Patch("whole terms first, marked partial hits after them, and the count of whole hits",
          'return _({items:[...n.values()]},typeof i!="undefined"&&{suggest:i})}',
          'return __qaHonest(this.qaQuery,_({items:[...n.values()]},typeof i!="undefined"&&{suggest:i}),'
          'this.map,this.qaHaystacks||(this.qaHaystacks=new Map))}'),
)

BUNDLE_PATCHES = (
    # Every result in this site's index is a question with no page entry above it: show its
    # text (and any missing words) as Material does for a page that is its own best match.
    Patch("show the text of a result that has no page entry",
          "oo(i,2|+(!n&&s===0))", "oo(i,2|+(n<=0&&s===0))"),
    # The worker counts the hits that hold every term (`whole`); when none does, the hits that
    # hold some of the terms are still listed, under a sentence that says so.
    Patch("count the hits that hold every term",
          '.subscribe(([{items:l},{value:f}])=>{switch(l.length){case 0:s.textContent=f.length?Me("search.result.none")',
          '.subscribe(([{items:l,whole:w},{value:f}])=>{switch(w!=null?w:l.length){case 0:s.textContent=f.length?'
          'Me(l.length?"search.result.partial":"search.result.none")'),
    Patch("the number in the count is the hits that hold every term",
          "default:let u=br(l.length);", "default:let u=br(w!=null?w:l.length);"),
)


def apply(text: str, patches: tuple[Patch, ...], name: str) -> str:
    """Apply each patch once; raise PatchError naming the script and patch if it does not match once."""
    for patch in patches:
        count = text.count(patch.old)
        if count != 1:
            raise PatchError(
                f"{name}: the search fix '{patch.name}' expects its code once in the theme's script but "
                f"finds it {count} times. mkdocs-material has changed this code: check whether the "
                f"defect is fixed upstream, then update or drop the patch in hooks/qa_search_worker.py.")
        text = text.replace(patch.old, patch.new, 1)
    return text


# Marks a script as patched: `mkdocs serve` may hand the same built file over again.
PATCHED = "/* search fixes: hooks/qa_search_worker.py */\n"


def patch_worker(text: str, name: str = "search worker") -> str:
    if text.startswith(PATCHED):
        return text
    return PATCHED + WORKER_HELPERS + apply(text, WORKER_PATCHES, name)


def patch_bundle(text: str, name: str = "theme bundle") -> str:
    if text.startswith(PATCHED):
        return text
    return PATCHED + apply(text, BUNDLE_PATCHES, name)


def patch_site(site: Path) -> list[str]:
    """Patch the built worker and bundle in a site folder; return the files changed."""
    scripts = site / "assets" / "javascripts"
    found = {"worker": sorted((scripts / "workers").glob("search.*.min.js")),
             "bundle": sorted(scripts.glob("bundle.*.min.js"))}
    for kind, files in found.items():
        if len(files) != 1:
            raise PatchError(f"{scripts}: expected one {kind} script of mkdocs-material, found {len(files)}")
    changed = []
    for kind, fix in (("worker", patch_worker), ("bundle", patch_bundle)):
        path = found[kind][0]
        text = path.read_text(encoding="utf-8")
        patched = fix(text, path.name)
        if patched != text:
            path.write_text(patched, encoding="utf-8")
            changed.append(path.name)
    return changed
