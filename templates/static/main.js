// Page behaviour: the footer year and a dark-mode toggle that remembers its choice.
const root = document.documentElement;
const saved = localStorage.getItem('theme');
if (saved === 'dark' || saved === 'light') root.dataset.theme = saved;
else if (matchMedia('(prefers-color-scheme: dark)').matches) root.dataset.theme = 'dark';

document.querySelector('.theme-toggle')?.addEventListener('click', () => {
  const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
  root.dataset.theme = next;
  localStorage.setItem('theme', next);
});

const year = document.getElementById('year');
if (year) year.textContent = String(new Date().getFullYear());
