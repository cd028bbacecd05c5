import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { externalProgram } from '../external-program.ts'
import { buildTestApp, seedSongs } from '../helper.ts'
import { committedSpec, operationsOf } from './spec.ts'

// Debian's chromium package. Never a browser downloaded by Playwright.
const chromiumProgram = externalProgram('/usr/bin/chromium', 'apt-get install chromium')
const SCREENSHOT = new URL('../artifacts/swagger-ui.png', import.meta.url).pathname

t.test('Swagger UI at /docs lists every operation and "Try it out" on GET /songs shows a 200 with songs', { skip: chromiumProgram.skip }, async t => {
  const app = await buildTestApp(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  const profile = await mkdtemp(join(tmpdir(), 'songs-api-chromium-'))
  t.teardown(() => rm(profile, { recursive: true, force: true }))
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumProgram.path,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', error => pageErrors.push(error.message))

  await page.goto(`${base}/docs`)
  await page.locator('.opblock').first().waitFor()
  const listed = await page.locator('.opblock').evaluateAll(blocks => blocks.map(block =>
    `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`))
  const documented = operationsOf(await committedSpec).map(({ method, path }) => `${method} ${path}`)
  t.same(listed.sort(), documented.sort(), 'every operation of the document is listed, nothing else')

  const listSongs = page.locator('.opblock-get', { has: page.locator('[data-path="/songs"]') })
  await listSongs.locator('.opblock-summary').click()
  await listSongs.locator('.try-out__btn').click()
  await listSongs.locator('.execute').click()
  const answer = listSongs.locator('.live-responses-table tr.response')
  await answer.waitFor()
  t.equal((await answer.locator('.response-col_status').innerText()).trim(), '200', 'the response panel shows 200')
  const shown = JSON.parse(await answer.locator('.response-col_description pre').first().innerText()) as { items: { title: string }[] }
  t.same(shown.items.map(song => song.title).sort(), (await seedSongs).map(song => song.title).sort(), 'the response panel shows the songs')

  await mkdir(new URL('.', `file://${SCREENSHOT}`).pathname, { recursive: true })
  await listSongs.scrollIntoViewIfNeeded()
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
  t.comment(`screenshot: ${SCREENSHOT}`)
  t.same(pageErrors, [], 'no script error on the page')
})
