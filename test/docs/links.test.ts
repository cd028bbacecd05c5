import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

// The README is the front door and docs/ the reference it links to: every relative link between them, and every
// `#anchor`, has to lead somewhere on GitHub, and the README has to stay short enough for a first visit.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const README_MAX_LINES = 250
const files = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
  .filter(name => name.endsWith('.md')).map(name => join('docs', name))]

/** The text outside fenced code blocks, line by line (a fenced line becomes empty, so line numbers stay). */
function prose (markdown: string): string[] {
  let fence: string | undefined
  return markdown.split('\n').map(line => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && marker) fence = marker
    else if (fence !== undefined && marker?.startsWith(fence[0]!) && marker.length >= fence.length) fence = undefined
    else if (fence === undefined) return line
    return ''
  })
}

/** Code spans dropped (they may wrap; their line breaks stay): what is inside backticks is shown, never followed. */
const withoutCode = (text: string) => text.replace(/(`+)[\s\S]*?\1/g, span => span.replace(/[^\n]/g, ''))

/** The text GitHub shows for a heading's Markdown: code spans, links, images and emphasis reduced to their words. */
function headingText (markdown: string): string {
  return markdown
    .replace(/(`+)([\s\S]*?)\1/g, '$2')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(^|[^\p{L}\p{N}])_{1,2}([^_]+)_{1,2}(?![\p{L}\p{N}])/gu, '$1$2')
}

/** The anchors GitHub gives a file's headings: lower case, punctuation removed, each space a hyphen, repeats -1, -2… */
function anchors (markdown: string): Set<string> {
  const occurrences = new Map<string, number>()
  const slugs = new Set<string>()
  for (const line of prose(markdown)) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1]
    if (heading === undefined) continue
    const base = headingText(heading).toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
    let slug = base
    while (occurrences.has(slug)) {
      const n = occurrences.get(base)! + 1
      occurrences.set(base, n)
      slug = `${base}-${n}`
    }
    occurrences.set(slug, 0)
    slugs.add(slug)
  }
  return slugs
}

/** Every link destination in a file's prose: inline links and images, reference definitions, HTML href and src. */
function links (markdown: string): { target: string, line: number }[] {
  const text = withoutCode(prose(markdown).join('\n'))
  const found = []
  const patterns = [
    /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    /^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)>?/gm,
    /<(?:a|img)\b[^>]*\b(?:href|src)="([^"]*)"/g
  ]
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      found.push({ target: match[1]!, line: text.slice(0, match.index).split('\n').length })
    }
  }
  return found
}

const isExternal = (target: string) => /^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//')

t.test(`README.md is at most ${README_MAX_LINES} lines`, async t => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\n$/, '').split('\n').length
  t.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`)
})

t.test('the README and docs/ are found, and they link to each other', async t => {
  t.ok(files.length >= 2, `${files.join(', ')}`)
  const relativeLinks = files.flatMap(file => links(readFileSync(join(ROOT, file), 'utf8')).filter(link => !isExternal(link.target)))
  t.ok(relativeLinks.length >= files.length, `${relativeLinks.length} relative links`)
})

for (const file of files) {
  t.test(`every relative link and anchor in ${file} resolves`, async t => {
    for (const { target, line } of links(readFileSync(join(ROOT, file), 'utf8'))) {
      if (isExternal(target)) continue
      const [path = '', anchor] = target.split('#', 2) as [string, string | undefined]
      const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), decodeURIComponent(path))
      const where = `${file}:${line} → ${target}`
      if (!t.ok(existsSync(resolved), `${where}: ${relative(ROOT, resolved)} exists`)) continue
      if (anchor === undefined) continue
      t.ok(resolved.endsWith('.md'), `${where}: an anchor into a Markdown file`)
      const headings = anchors(readFileSync(resolved, 'utf8'))
      t.ok(headings.has(decodeURIComponent(anchor)), `${where}: a heading of ${relative(ROOT, resolved)} has the anchor #${anchor}`)
    }
  })
}
