// Runs before the first paint (a blocking script in index.html), so a dark theme never flashes
// light. The choice itself is managed by src/theme/theme.ts under the same storage key.
(() => {
  let choice = null;
  try {
    choice = localStorage.getItem('aura.theme');
  } catch {
    // No storage: follow the system setting.
  }
  const dark =
    choice === 'dark' || (choice !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
})();
