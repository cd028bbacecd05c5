import fc from 'fast-check'
import t from 'tap'
import { searchPrefixes, searchWords } from '../../src/lib/search-words.ts'

const NUM_RUNS = 500
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'
const word = fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: 12 })
const separator = fc.string({ unit: fc.constantFrom(' ', '-', ',', '.', '!', '?', '(', ')', '[', ']', '*', '+', '/', '\\', '&', '|', '$', '^', '…', '—', '\t', '\n', '"'), minLength: 1, maxLength: 3 })
// Combining acute, grave, diaeresis, tilde, cedilla, ring: what accented Latin letters decompose into.
const marks = fc.string({ unit: fc.constantFrom('\u0301', '\u0300', '\u0308', '\u0303', '\u0327', '\u030A'), maxLength: 2 })

function check (property: fc.IAsyncProperty<any> | fc.IProperty<any>) {
  fc.assert(property as fc.IProperty<unknown>, { numRuns: NUM_RUNS })
}

t.test('normalizing is idempotent: normalized words normalize to themselves', async t => {
  check(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), text => {
    const words = searchWords(text)
    return JSON.stringify(searchWords(words.join(' '))) === JSON.stringify(words)
  }))
  t.pass(`${NUM_RUNS} random Unicode strings`)
})

t.test('every word is non-empty, lower-case, accent-free letters or digits, and unique', async t => {
  check(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), text => {
    const words = searchWords(text)
    return words.every(w => /^[\p{L}\p{N}]+$/u.test(w) && w === w.toLowerCase() && !/\p{M}/u.test(w)) &&
      new Set(words).size === words.length
  }))
  t.pass(`${NUM_RUNS} random grapheme strings`)
})

t.test('case and accents do not matter', async t => {
  check(fc.property(fc.array(fc.tuple(word, fc.array(marks, { minLength: 12, maxLength: 12 })), { minLength: 1, maxLength: 5 }), parts => {
    const plain = parts.map(([w]) => w).join(' ')
    // The same words with marks after letters, composed (NFC) and upper-cased: "cafe" → "CAFÉ".
    const accented = parts.map(([w, m]) => Array.from(w).map((c, i) => c + m[i]).join('')).join(' ').normalize('NFC').toUpperCase()
    return JSON.stringify(searchWords(accented)) === JSON.stringify(searchWords(plain))
  }))
  t.pass(`${NUM_RUNS} random accented, upper-cased texts`)
})

t.test('punctuation separates words like a space; apostrophes inside a word vanish', async t => {
  check(fc.property(fc.array(fc.tuple(word, separator), { minLength: 1, maxLength: 6 }), fc.constantFrom("'", '’', 'ʼ', '`', '´', '＇'), (parts, apostrophe) => {
    const spaced = parts.map(([w]) => w).join(' ')
    const punctuated = parts.map(([w, s]) => w + s).join('')
    const withApostrophes = parts.map(([w]) => w.length > 1 ? w[0] + apostrophe + w.slice(1) : w).join(' ')
    const expected = JSON.stringify(searchWords(spaced))
    return JSON.stringify(searchWords(punctuated)) === expected && JSON.stringify(searchWords(withApostrophes)) === expected
  }))
  t.pass(`${NUM_RUNS} random punctuated texts`)
})

t.test('every normalized query word of a text is one of its stored prefixes, so a song finds itself', async t => {
  check(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (artist, title) => {
    const prefixes = new Set(searchPrefixes(artist, title))
    return searchWords(`${title} ${artist}`).every(w => prefixes.has(w))
  }))
  t.pass(`${NUM_RUNS} random artist and title pairs`)
})
