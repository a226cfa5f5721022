// End to end, the phone page (web/, served by callgate) with bad input, driven through its own
// fields and buttons:
//   wrong password -> Kamailio 403 -> "Registration failed: 403 ..." shown, never REGISTERED;
//   invalid JSON in INVITE parameters -> complaint while typing, Call refused with the reason,
//   no INVITE reaches the phone;
//   an unregistered callee -> "FAILED — 404 Not Found"; a busy phone -> call status
//   "BUSY — 486 Busy Here" (SIP code and reason), screenshot;
//   login "Ralf C" -> callgate's specific error ("Invalid SIP login: character ' ' ...");
//   settings persist across a reload (the password only with "Remember password").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { E2E, e2eCallgatePorts, startRegisteredCallee } from '../lib/e2e.mjs';
import { startKamailio } from '../lib/kamailio.mjs';
import { fillFields, openPhonePage, pageAccount, screenshotState, waitText } from '../lib/phone_page.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('phone page: wrong password, invalid INVITE parameters, busy, bad login, saved settings', async () => {
  const ctx = testContext('e2e_phone_page_errors');
  await ctx.run(async () => {
    await startKamailio(ctx.procs, E2E.kamailio);
    const callee = await startRegisteredCallee(ctx.procs, 'uas_busy.xml');
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const { page, pageErrors } = await openPhonePage(ctx);

    // Wrong password: the registration failure with the SIP reason.
    await fillFields(page, { ...pageAccount({ sipPassword: 'wrong' }), callee: '1001' });
    await page.click('#connectBtn');
    await waitText(page, 'registrationStatus', /^FAILED: 403/, 15000);
    await waitText(page, 'message', /^Registration failed: 403 \S+/);
    assert.ok(await page.isDisabled('#callBtn'), 'no calls without registration');
    const events = await page.evaluate(() => window.phone.events.map((e) => e.status));
    assert.ok(!events.includes('REGISTERED'), `never REGISTERED: ${events}`);
    await page.click('#disconnectBtn');
    await waitText(page, 'connectionStatus', /DISCONNECTED/, 10000);

    // Right password.
    await fillFields(page, { sipPassword: '1234' });
    await page.click('#connectBtn');
    await waitText(page, 'registrationStatus', /^REGISTERED$/, 10000);
    await waitText(page, 'message', /^$/); // the old error went away on Connect

    // Invalid INVITE parameters: said while typing, and Call refuses without sending anything.
    await page.click('#callOptions > summary');
    await page.fill('#inviteParams', '{"X-Tenant": ');
    await waitText(page, 'inviteParamsError', /INVITE parameters are not valid JSON/);
    assert.equal(await page.getAttribute('#inviteParams', 'aria-invalid'), 'true');
    await page.click('#callBtn');
    await waitText(page, 'message', /^Not calling: INVITE parameters are not valid JSON/);
    await page.fill('#inviteParams', '["X-Tenant"]');
    await waitText(page, 'inviteParamsError', /must be a JSON object/);
    await page.click('#callBtn');
    await waitText(page, 'message', /^Not calling: INVITE parameters must be a JSON object/);
    await sleep(1000);
    assert.ok(!/INVITE sip:/.test(callee.messages()), 'no INVITE reached the phone');
    const callEvents = await page.evaluate(() => window.phone.events.filter((e) => e.kind === 'call'));
    assert.deepEqual(callEvents, [], 'no call was started');
    assert.ok(await page.isEnabled('#callBtn'), 'the page still lets you call once fixed');

    // Nobody registered as 1002: Kamailio's 404 is the call's status and reason.
    await page.fill('#inviteParams', '');
    await waitText(page, 'inviteParamsError', /^$/);
    await page.fill('#callee', '1002');
    await page.click('#callBtn');
    await waitText(page, 'callStatus', /^FAILED — 404 Not Found$/, 15000);
    await waitText(page, 'message', /^Call failed: 404 Not Found/);

    // A busy phone: status with the SIP code and reason.
    await page.fill('#callee', '1001');
    await page.click('#callBtn');
    await waitText(page, 'callStatus', /^BUSY — 486 Busy Here$/, 15000);
    await waitText(page, 'message', /486 Busy Here/);
    await page.click('#callOptions > summary');
    await screenshotState(ctx, page, 'failed', { callStatus: /BUSY — 486 Busy Here/, message: /486 Busy Here/ });
    await expectSippSuccess(callee, 10000);

    // A login with a space: callgate's own error, the connection closes.
    await page.click('#disconnectBtn');
    await waitText(page, 'connectionStatus', /DISCONNECTED/, 10000);
    await fillFields(page, { sipLogin: 'Ralf C', sipAuthName: '' });
    await page.click('#connectBtn');
    await waitText(page, 'message', /^Connection refused: Invalid SIP login: character ' ' not allowed by RFC 3261/, 10000);
    await waitText(page, 'connectionStatus', /DISCONNECTED/, 10000);
    await screenshotState(ctx, page, 'bad-login', { message: /Invalid SIP login/ });

    // Settings survive a reload; the password only when asked to.
    await fillFields(page, { sipLogin: '1000', visibleName: 'Ralf C', callee: '1002', rememberPassword: false });
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => window.phone && window.phone.ready, null, { timeout: 10000 });
    assert.equal(await page.inputValue('#sipLogin'), '1000');
    assert.equal(await page.inputValue('#visibleName'), 'Ralf C');
    assert.equal(await page.inputValue('#callee'), '1002', 'callee kept');
    assert.equal(await page.inputValue('#sipDomain'), '127.0.0.1');
    assert.equal(await page.inputValue('#sipPort'), String(E2E.kamailio));
    assert.equal(await page.inputValue('#sipPassword'), '', 'password not stored by default');
    const stored = await page.evaluate(() => localStorage.getItem('callgate.phone.settings'));
    assert.ok(!stored.includes('1234'), `no password in storage: ${stored}`);
    await fillFields(page, { rememberPassword: true, sipPassword: '1234' });
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => window.phone && window.phone.ready, null, { timeout: 10000 });
    assert.equal(await page.inputValue('#sipPassword'), '1234', 'password remembered when ticked');
    assert.ok(await page.isChecked('#rememberPassword'));

    assert.deepEqual(pageErrors, [], 'no page errors');
    assertRunning(callgate);
  });
});
