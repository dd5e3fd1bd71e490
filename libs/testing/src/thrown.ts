/** The `code` of what `run` throws (an AppError's machine-readable code), or 'none' when it returns. */
export function thrownCode(run: () => unknown): string | undefined {
  try {
    run();
    return 'none';
  } catch (error) {
    return (error as { code?: string }).code;
  }
}
