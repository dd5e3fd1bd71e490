/** Stops the containers the global setup started, if it started any. */
export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as { __DREAMSEED_CONTAINERS__?: { stop(): Promise<unknown> }[] }).__DREAMSEED_CONTAINERS__;
  await Promise.all((containers ?? []).map((container) => container.stop()));
}
