import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { externalProgram } from '../external-program.ts'
import { buildTestApp, seedSongs } from '../helper.ts'
import { firstSongId } from '../rate-song.ts'
import { committedSpec, operationsOf } from './spec.ts'
import { LEVEL_EXAMPLE } from '../../src/schemas/examples.ts'

// Debian's chromium package. Never a browser downloaded by Playwright.
const chromiumProgram = externalProgram('/usr/bin/chromium', 'apt-get install chromium')
const SCREENSHOT = new URL('../artifacts/swagger-ui.png', import.meta.url).pathname

/** A fresh Chromium page, closed when the test ends; `pageErrors` collects the page's script errors. */
async function browserPage (t: Test): Promise<{ page: Page, pageErrors: string[] }> {
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
  return { page, pageErrors }
}

/** Opens an operation in Swagger UI, presses "Try it out" (with `body` as the request body) and Execute; what the response panel shows. */
async function tryItOut (page: Page, method: string, path: string, body?: object): Promise<{ status: string, text: string }> {
  const operation = page.locator(`.opblock-${method}`, { has: page.locator(`[data-path="${path}"]`) })
  await operation.locator('.opblock-summary').click()
  await operation.locator('.try-out__btn').click()
  if (body) await operation.locator('textarea.body-param__text').fill(JSON.stringify(body))
  await operation.locator('.execute').click()
  const answer = operation.locator('.live-responses-table tr.response')
  await answer.waitFor()
  const shown = { status: (await answer.locator('.response-col_status').innerText()).trim(), text: await answer.locator('.response-col_description pre').first().innerText() }
  await operation.locator('.opblock-summary').click()
  return shown
}

t.test('Swagger UI at /docs lists every operation and "Try it out" on GET /songs shows a 200 with songs', { skip: chromiumProgram.skip }, async t => {
  const app = await buildTestApp(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const { page, pageErrors } = await browserPage(t)

  // Swagger UI's own index.html redirects to /docs/, which the trailing-slash rule redirects to /docs.
  for (const entry of ['/docs/', '/docs/static/index.html']) {
    const landed = await page.goto(`${base}${entry}`)
    t.same({ status: landed?.status(), url: page.url() }, { status: 200, url: `${base}/docs` }, `the browser following ${entry} lands on /docs`)
  }
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
  // "Try it out" fills in the documented example, level 13: that level's songs of the seed.
  const ofLevel = (await seedSongs).filter(song => song.level === LEVEL_EXAMPLE).map(song => song.title).sort()
  t.same(shown.items.map(song => song.title).sort(), ofLevel, `the response panel shows the ${ofLevel.length} songs of level ${LEVEL_EXAMPLE}`)

  await mkdir(new URL('.', `file://${SCREENSHOT}`).pathname, { recursive: true })
  await listSongs.scrollIntoViewIfNeeded()
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
  t.comment(`screenshot: ${SCREENSHOT}`)
  t.same(pageErrors, [], 'no script error on the page')
})

t.test('in Swagger UI a user signs up, signs in, authorizes with the access token and rates a song as that user', { skip: chromiumProgram.skip }, async t => {
  const app = await buildTestApp(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const songId = await firstSongId(app)
  const { page, pageErrors } = await browserPage(t)
  const sentAuthorization = new Map<string, string | undefined>()
  page.on('request', request => { sentAuthorization.set(new URL(request.url()).pathname, request.headers().authorization) })

  await page.goto(`${base}/docs`)
  await page.locator('.opblock').first().waitFor()
  const credentials = { username: 'Swagger.User', password: 'a password typed into the page' }
  const signedUp = await tryItOut(page, 'post', '/users', credentials)
  t.equal(signedUp.status, '201', 'POST /users from the page: 201')
  const user = JSON.parse(signedUp.text) as { id: string, username: string }
  t.equal(user.username, 'swagger.user')

  const signedIn = await tryItOut(page, 'post', '/auth/token', credentials)
  t.equal(signedIn.status, '200', 'POST /auth/token from the page: 200')
  const { access_token: accessToken } = JSON.parse(signedIn.text) as { access_token: string }

  await page.locator('.auth-wrapper .btn.authorize').click()
  const dialog = page.locator('.modal-ux')
  t.match(await dialog.innerText(), /bearerAuth[\s\S]*http, Bearer/, 'the dialog offers the bearer scheme')
  await dialog.locator('input').fill(accessToken)
  await dialog.locator('.auth-btn-wrapper .authorize').click()
  t.match(await dialog.innerText(), /Authorized/, 'the dialog says it is authorized')
  await dialog.locator('.btn-done').click()
  t.ok(await page.locator('.auth-wrapper .btn.authorize.locked').isVisible(), 'the Authorize button shows a closed lock')

  const me = await tryItOut(page, 'get', '/users/me')
  t.equal(me.status, '200', 'GET /users/me from the page: 200')
  t.match(JSON.parse(me.text), { id: user.id, username: 'swagger.user', roles: ['user'] }, 'the page is signed in as that user')
  t.equal(sentAuthorization.get('/users/me'), `Bearer ${accessToken}`)

  const rated = await tryItOut(page, 'post', '/songs/rating', { song_id: songId, rating: 4 })
  t.equal(rated.status, '201', 'POST /songs/rating from the page: 201')
  t.match(JSON.parse(rated.text), { song_id: songId, count: 1, average: 4 }, 'the page shows the summary with that rating')
  t.equal(sentAuthorization.get('/songs/rating'), `Bearer ${accessToken}`, 'the rating was sent with the user\'s token')
  t.same(pageErrors, [], 'no script error on the page')
})
