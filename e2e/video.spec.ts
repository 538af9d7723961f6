/**
 * Video end to end, in Debian's Chromium: every stream kind plays from media generated with
 * ffmpeg and served over loopback by the host's /media/ route; a 16-tile wall over one origin
 * respects the per-origin cap; a dead URL fails on its own tile, named, while the others play;
 * linkage opens the cameras that see a case (not one facing away) and ends when it closes;
 * drag and drop, presets, full screen and the tour. Waits on the page's state, never on time.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CASE_ID, CHROMIUM, CHROMIUM_ARGS, closeCase, seedScenarios, startVideoEnv, type VideoEnv } from './video/env';
import { startWhepServer } from './video/whep';

test.use({
  launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  viewport: { width: 1600, height: 900 },
  locale: 'zh-CN',
});
test.describe.configure({ mode: 'serial' });

let env: VideoEnv;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  env = await startVideoEnv();
  await seedScenarios(env);
});
test.afterAll(async () => {
  await env?.close();
});

const player = (page: Page, cameraId: string): Locator => page.locator(`[data-testid="video-player"][data-camera-id="${cameraId}"]`);
const tileOf = (page: Page, cameraId: string): Locator => page.locator(`[data-testid="video-tile"][data-camera-id="${cameraId}"]`);
const currentTime = (p: Locator): Promise<number> => p.locator('video').evaluate((v: { currentTime: number }) => v.currentTime);

/**
 * The player reached `playing` and its playback time keeps advancing (a looping demo clip may
 * wrap to its start: that counts as moving too).
 */
async function expectPlaying(p: Locator): Promise<void> {
  await expect(p).toHaveAttribute('data-state', 'playing', { timeout: 20_000 });
  const t0 = await currentTime(p);
  await expect.poll(async () => Math.abs((await currentTime(p)) - t0), { timeout: 15_000 }).toBeGreaterThan(0.5);
  await expect(p).toHaveAttribute('data-state', 'playing');
}

/** An MJPEG <img> shows a picture and the picture changes. */
async function expectMjpegAdvancing(p: Locator): Promise<void> {
  await expect(p).toHaveAttribute('data-state', 'playing', { timeout: 20_000 });
  const img = p.locator('img');
  await expect.poll(() => img.evaluate((i: { naturalWidth: number }) => i.naturalWidth)).toBeGreaterThan(0);
  const first = await img.screenshot();
  await expect.poll(async () => Buffer.compare(first, await img.screenshot()) !== 0, { timeout: 10_000 }).toBe(true);
}

test('each stream kind plays: HLS (TS, fMP4), HTTP-FLV, WebM, MP4, MJPEG', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(env.lab({ scene: 'players', cameras: 'cam-hls-ts,cam-hls-fmp4,cam-flv,cam-webm,cam-mp4,cam-mjpeg' }));
  await expect(page.locator('[data-testid="video-player"]')).toHaveCount(6);
  await expect(player(page, 'cam-hls-ts')).toHaveAttribute('data-engine', 'hlsjs');
  await expect(player(page, 'cam-flv')).toHaveAttribute('data-engine', 'mpegts');
  await expect(player(page, 'cam-mp4')).toHaveAttribute('data-engine', 'native');
  await expect(player(page, 'cam-mjpeg')).toHaveAttribute('data-engine', 'mjpeg');
  for (const id of ['cam-hls-ts', 'cam-hls-fmp4', 'cam-flv', 'cam-webm', 'cam-mp4']) await expectPlaying(player(page, id));
  await expectMjpegAdvancing(player(page, 'cam-mjpeg'));

  // The players told the core: playing, with the time to the first frame.
  await expect
    .poll(async () => {
      const r = await env.core.registry.invoke('video.health', { cameraIds: ['cam-flv', 'cam-hls-fmp4'] });
      return r.ok ? r.value.map((h) => [h.cameraId, h.state, h.firstFrameMs !== null]) : [];
    })
    .toEqual([
      ['cam-flv', 'playing', true],
      ['cam-hls-fmp4', 'playing', true],
    ]);
});

test('HLS also plays in the browser\'s own <video> where it can', async ({ page }) => {
  await page.goto(env.lab({ scene: 'players', cameras: 'cam-hls-ts', hls: 'native' }));
  const p = player(page, 'cam-hls-ts');
  await expect(p).toHaveAttribute('data-engine', 'native');
  await expectPlaying(p);
});

test('WebRTC (WHEP) plays, and the session is deleted when the player goes', async ({ page, context }) => {
  const sender = await context.newPage();
  const whep = await startWhepServer(sender);
  try {
    await env.save({ id: 'cam-whep', name: 'WHEP 测试', lon: 120.3, lat: 30.5, streams: [{ kind: 'webrtc', url: whep.url('cam-whep') }] });
    await page.goto(env.lab({ scene: 'wall', layout: '4', cameras: 'cam-whep' }));
    const p = player(page, 'cam-whep');
    await expect(p).toHaveAttribute('data-engine', 'whep');
    await expectPlaying(p);
    expect(whep.stats.offers).toBe(1);
    // Removing the tile unmounts the player: the session is deleted at the endpoint.
    await tileOf(page, 'cam-whep').hover();
    await tileOf(page, 'cam-whep').getByTestId('tile-remove').click();
    await expect(p).toHaveCount(0);
    await expect.poll(() => whep.stats.deletes).toBe(1);
    // Leaving the page ends a session too.
    await page.goto(env.lab({ scene: 'players', cameras: 'cam-whep' }));
    await expectPlaying(p);
    await page.goto('about:blank');
    await expect.poll(() => whep.stats.deletes).toBe(2);
  } finally {
    await whep.close();
    await sender.close();
  }
});

test('a 16-tile wall over one origin opens no more live streams than the cap; the others say so', async ({ page }) => {
  test.setTimeout(90_000);
  const ids = Array.from({ length: 16 }, (_, i) => `cam-flv-${String(i + 1).padStart(2, '0')}`);
  const flvRequests = new Set<string>();
  page.on('request', (r) => {
    if (r.url().includes('/media/stream.flv')) flvRequests.add(r.url());
  });
  await page.goto(env.lab({ scene: 'wall', layout: '16', cameras: ids.join(','), cap: '4' }));
  const tiles = page.locator('[data-testid="video-tile"]');
  await expect(tiles).toHaveCount(16);
  await expect(page.locator('[data-tile-state="active"]')).toHaveCount(4);
  await expect(page.locator('[data-tile-state="over_cap"]')).toHaveCount(12);
  for (const id of ids.slice(0, 4)) await expectPlaying(player(page, id));
  // Over the cap: the camera's name and the reason, no connection.
  const over = player(page, 'cam-flv-05');
  await expect(over).toHaveAttribute('data-state', 'idle');
  await expect(over).toContainText('同源 FLV 05');
  await expect(over).toContainText('超出同源并发上限（4 路）');
  expect([...flvRequests].sort()).toEqual(ids.slice(0, 4).map((id) => `${env.url}media/stream.flv?ch=${id.slice(-2)}`));

  // A slot frees up: the next tile in order takes it.
  await tileOf(page, 'cam-flv-01').hover();
  await tileOf(page, 'cam-flv-01').getByTestId('tile-remove').click();
  await expectPlaying(player(page, 'cam-flv-05'));
  await expect(page.locator('[data-tile-state="active"]')).toHaveCount(4);
  expect(flvRequests.size).toBe(5);
});

test('a dead URL fails on its own tile, with the camera name, while the others keep playing', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(env.lab({ scene: 'wall', layout: '4', cameras: 'cam-flv-01,cam-dead,cam-mp4,cam-hls-fmp4' }));
  const dead = player(page, 'cam-dead');
  await expect(dead).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
  await expect(dead).toContainText('失效摄像头 西门');
  await expect(dead).toContainText('无法播放');
  for (const id of ['cam-flv-01', 'cam-mp4', 'cam-hls-fmp4']) await expectPlaying(player(page, id));
  // Still failed (retrying with back-off) while the others play on.
  await expect(dead).toHaveAttribute('data-state', /failed|connecting/);
  await expect
    .poll(async () => {
      const r = await env.core.registry.invoke('video.health', { cameraIds: ['cam-dead'] });
      return r.ok && r.value[0] ? r.value[0].failures : 0;
    })
    .toBeGreaterThanOrEqual(1);
});

test('linkage opens the cameras that see the case, nearest first, not one facing away, and ends when the case closes', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(env.lab({ scene: 'link', case: CASE_ID, layout: '9' }));
  const linked = page.locator('[data-testid="video-tile"][data-tile-state="active"]');
  await expect(linked).toHaveCount(3);
  const shown = await page.locator('[data-testid="video-tile"]').evaluateAll((els: Array<{ getAttribute(n: string): string | null }>) => els.map((e) => e.getAttribute('data-camera-id')).filter((x) => x));
  expect(shown).toEqual(['link-south', 'link-dome', 'link-west']);
  await expect(page.locator('[data-testid="linked-camera"]')).toHaveCount(3);
  await expect(page.getByTestId('video-wall-banner')).toContainText(CASE_ID);
  for (const id of ['link-south', 'link-dome', 'link-west']) await expectPlaying(player(page, id));
  await expect(tileOf(page, 'link-away')).toHaveCount(0);
  await expect(tileOf(page, 'link-far')).toHaveCount(0);

  await closeCase(env, CASE_ID);
  await expect(page.getByTestId('video-wall-banner')).toContainText('案件已结案，联动结束');
  await expect(page.locator('[data-testid="video-player"]')).toHaveCount(0);
  await expect(page.getByTestId('linked-cameras')).toHaveAttribute('data-state', 'ended');
});

test('drag a camera onto a tile, save a preset, full screen a tile, tour a group', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(env.lab({ scene: 'wall', layout: '4', list: '1' }));
  const item = page.locator('[data-testid="camera-list-item"][data-camera-id="cam-mp4"]');
  await item.scrollIntoViewIfNeeded();
  await item.dragTo(page.locator('[data-testid="video-tile"][data-index="2"]'));
  const tile = page.locator('[data-testid="video-tile"][data-index="2"]');
  await expect(tile).toHaveAttribute('data-camera-id', 'cam-mp4');
  await expectPlaying(player(page, 'cam-mp4'));

  // Tile to tile: a swap.
  await tile.dragTo(page.locator('[data-testid="video-tile"][data-index="0"]'));
  await expect(page.locator('[data-testid="video-tile"][data-index="0"]')).toHaveAttribute('data-camera-id', 'cam-mp4');
  await expect(tile).toHaveAttribute('data-camera-id', '');

  // Presets persist through the API.
  await page.getByTestId('layout-1+5').click();
  await expect(page.getByTestId('video-wall')).toHaveAttribute('data-layout', '1+5');
  await page.getByTestId('preset-name').fill('东门监控');
  await page.getByTestId('preset-save').click();
  await expect(page.getByTestId('preset-select').locator('option', { hasText: '东门监控' })).toHaveCount(1);
  const presets = await env.core.registry.invoke('video.presets.list', {});
  expect(presets.ok && presets.value.find((p) => p.name === '东门监控')).toMatchObject({ layout: '1+5', tiles: ['cam-mp4', null, null, null, null, null] });

  // Full screen (or the panel-wide tile where the browser refuses), and back.
  const first = page.locator('[data-testid="video-tile"][data-index="0"]');
  await first.hover();
  await first.getByTestId('tile-fullscreen').click();
  await expect(first).toHaveClass(/vw-tile-max/);
  await expect(page.locator('[data-testid="video-tile"]:visible')).toHaveCount(1);
  await expectPlaying(player(page, 'cam-mp4'));
  await first.getByTestId('tile-fullscreen').click();
  await expect(page.locator('[data-testid="video-tile"]:visible')).toHaveCount(6);

  // A tour of eight cameras through four tiles, every 3 s: the second group comes up.
  const group = ['cam-mp4', 'cam-webm', 'cam-hls-ts', 'cam-hls-fmp4', 'cam-flv-01', 'cam-flv-02', 'cam-flv-03', 'cam-flv-04'];
  await page.goto(env.lab({ scene: 'wall', layout: '4', cameras: group.join(','), tour: '3' }));
  await expect(page.getByTestId('video-wall')).toHaveAttribute('data-tour', 'on');
  await expect(page.locator('[data-testid="video-tile"][data-index="0"]')).toHaveAttribute('data-camera-id', 'cam-mp4');
  await expect(page.locator('[data-testid="video-tile"][data-index="0"]')).toHaveAttribute('data-camera-id', 'cam-flv-01', { timeout: 10_000 });
  await expectPlaying(player(page, 'cam-flv-01'));
  await expect(page.locator('[data-testid="video-tile"][data-index="0"]')).toHaveAttribute('data-camera-id', 'cam-mp4', { timeout: 10_000 });
});
