const { chromium } = require(__dirname + '/../../../../node_modules/playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const TD = __dirname + '/../';
const cases = [
  ['sipp_pcmu_answer.sdp', false], ['baresip_opus_answer.sdp', false], ['asterisk_g711_answer.sdp', false],
  ['sendonly_answer.sdp', false], ['inactive_answer.sdp', false],
  ['linphone_video_answer.sdp', true], ['video_rejected_answer.sdp', true],
];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--no-sandbox'] });
  const page = await browser.newPage();
  const http = require('http');
  const srv = http.createServer((q, r) => r.end('<html></html>'));
  await new Promise(r => srv.listen(0, '127.0.0.1', r));
  await page.goto('http://127.0.0.1:' + srv.address().port + '/');
  await page.exposeFunction('makeAnswer', (offer, sipFile) => {
    fs.writeFileSync('/tmp/sdp_live_offer.sdp', offer);
    try {
      return execFileSync('/tmp/sdp_tool', ['answer', '/tmp/sdp_live_offer.sdp', TD + sipFile]).toString();
    } catch (e) { return 'ERROR ' + e.stderr; }
  });
  for (const [file, video] of cases) {
    const res = await page.evaluate(async ([file, video]) => {
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-compat' });
      const streams = [];
      pc.ontrack = e => streams.push(e.track.kind + ':' + e.streams.map(s => s.id).join(','));
      const s = await navigator.mediaDevices.getUserMedia({ audio: true, video });
      s.getTracks().forEach(t => pc.addTrack(t, s));
      const o = await pc.createOffer();
      await pc.setLocalDescription(o);
      const ans = await window.makeAnswer(o.sdp, file);
      if (ans.startsWith('ERROR')) return ans;
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: ans });
      } catch (e) { pc.close(); return 'REJECTED: ' + e.message; }
      const tr = pc.getTransceivers().map(t => `${t.mid}:${t.currentDirection}:${t.sender.getParameters().codecs.map(c => c.mimeType + '/' + c.payloadType).join(' ')}`);
      pc.close();
      return 'OK ' + tr.join(' | ') + ' tracks=' + streams.join(' ');
    }, [file, video]);
    console.log(file, '=>', res);
  }
  await browser.close(); srv.close();
})().catch(e => { console.error(e); process.exit(1); });
