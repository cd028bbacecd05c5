import t from 'tap'
import { searchPrefixes, searchWords } from '../../src/lib/search-words.ts'

t.test('searchWords folds case and accents and splits on punctuation', async t => {
  t.same(searchWords('ALABAMA Sunrise'), ['alabama', 'sunrise'])
  t.same(searchWords('Café-Olé, Ñandú!'), ['cafe', 'ole', 'nandu'])
  t.same(searchWords('Awaki-Waki'), ['awaki', 'waki'])
  t.same(searchWords('Greasy Fingers - boss level'), ['greasy', 'fingers', 'boss', 'level'])
})

t.test('apostrophes join a word instead of splitting it', async t => {
  t.same(searchWords("Can't Buy Me Skills"), ['cant', 'buy', 'me', 'skills'])
  t.same(searchWords('You’ve Got The Power'), ['youve', 'got', 'the', 'power'])
})

t.test('regex characters are plain punctuation, and repeats count once', async t => {
  t.same(searchWords('a.*b (c)|[d]'), ['a', 'b', 'c', 'd'])
  t.same(searchWords('la la LA'), ['la'])
  t.same(searchWords('?!…'), [])
})

t.test('searchPrefixes holds every prefix of every word of artist and title', async t => {
  t.same(searchPrefixes('Mr Fastfinger', 'Awaki-Waki').sort(), [
    'a', 'aw', 'awa', 'awak', 'awaki', 'f', 'fa', 'fas', 'fast', 'fastf', 'fastfi', 'fastfin', 'fastfing', 'fastfinge', 'fastfinger',
    'm', 'mr', 'w', 'wa', 'wak', 'waki'
  ].sort())
  t.notOk(searchPrefixes('The Yousicians', 'x').includes('sicians'), 'no infixes')
})
