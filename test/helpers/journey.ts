/**
 * Walks the emulator's journey as a browser without JavaScript would: open the
 * link, submit the form with a decision, read the one-time token from the
 * "journey finished" page.
 */
export async function finishJourney(linkUrl: string, decision: 'approved' | 'pending' | 'rejected'): Promise<string> {
  const page = await fetch(linkUrl);
  if (page.status !== 200) throw new Error(`journey page answered ${page.status}`);
  const token = new URL(linkUrl).searchParams.get('token') ?? '';
  const finish = await fetch(new URL('/kyc/finish', linkUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, decision }).toString(),
    redirect: 'manual',
  });
  const html = await finish.text();
  const match = /<code id="one-time-token">([^<]+)<\/code>/.exec(html);
  if (!match) throw new Error(`no one-time token on the finished page (status ${finish.status})`);

  return match[1];
}
