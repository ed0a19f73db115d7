import { describe, expect, it } from 'vitest';
import { pickTemplate } from './pick.ts';

describe('pickTemplate', () => {
  it.each([
    ['Build a landing page for my bakery', 'static'],
    ['A simple static site with three pages', 'static'],
    ['plain HTML and CSS portfolio', 'static'],
    ['a one-page html resume', 'static'],
    ['Coming soon page for a product launch', 'static'],
    ['A static page that shows the weather from a public API', 'static'],
    ['Todo app with a REST API and a SQLite database', 'node-api'],
    ['a backend for my mobile app', 'node-api'],
    ['Chat app with a server that stores messages', 'node-api'],
    ['full-stack notes app', 'node-api'],
    ['CRUD admin panel for products', 'node-api'],
    ['A React landing page with animations', 'react-vite'],
    ['A pomodoro timer with a dark mode toggle', 'react-vite'],
    ['Kanban board with drag and drop', 'react-vite'],
    ['', 'react-vite'],
    // Word boundaries: "rapid" is not "api", "observer" is not "server".
    ['rapid prototyping playground with an observer pattern demo', 'react-vite'],
  ])('%j → %s', (request, expected) => {
    expect(pickTemplate(request)).toBe(expected);
  });

  it('falls back to the default when the pick is not available', () => {
    expect(pickTemplate('a landing page', ['react-vite', 'node-api'])).toBe('react-vite');
    expect(pickTemplate('a landing page', ['react-vite', 'static'])).toBe('static');
  });
});
