const { chromium } = require(__dirname + '/../../../../node_modules/playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const TD = __dirname + '/../';
const cases = [['asterisk_offer.sdp', false], ['sipp_uac_offer.sdp', false], ['linphone_video_offer.sdp', true], ['linphone_video_offer.sdp', false]];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--no-sandbox'] });
  const page = await browser.newPage();
  const http = require('http');
  const srv = http.createServer((q, r) => r.end('<html></html>'));
  await new Promise(r => srv.listen(0, '127.0.0.1', r));
  await page.goto('http://127.0.0.1:' + srv.address().port + '/');
  for (const [file, video] of cases) {
    let offer;
    try { offer = execFileSync('/tmp/sdp_tool', video ? ['offer', TD + file, 'v'] : ['offer', TD + file]).toString(); }
    catch (e) { console.log(file, 'tool error', e.stderr.toString()); continue; }
    const res = await page.evaluate(async ([offer, video]) => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-compat' });
      const streams = [];
      pc.ontrack = e => streams.push(e.track.kind + ':' + e.streams.map(s => s.id).join(','));
      try { await pc.setRemoteDescription({ type: 'offer', sdp: offer }); }
      catch (e) { return { err: 'REJECTED offer: ' + e.message }; }
      const s = await navigator.mediaDevices.getUserMedia({ audio: true, video });
      s.getTracks().forEach(t => pc.addTrack(t, s));
      const a = await pc.createAnswer();
      await pc.setLocalDescription(a);
      const tr = pc.getTransceivers().map(t => `${t.mid}:${t.currentDirection}`);
      pc.close();
      return { sdp: a.sdp, info: tr.join(' ') + ' tracks=' + streams.join(' ') };
    }, [offer, video]);
    if (res.err) { console.log(file, res.err); continue; }
    console.log(file, '=> OK', res.info);
    fs.writeFileSync('/tmp/chromium_answer_to_' + file, res.sdp);
  }
  await browser.close(); srv.close();
})().catch(e => { console.error(e); process.exit(1); });
