import { describe, expect, it } from 'vitest';
import { matchPath, safeRedirect } from './router.ts';

describe('matchPath', () => {
  it('matches literal segments and decodes params', () => {
    expect(matchPath('/p/:projectId', '/p/prj%5F1')).toEqual({ projectId: 'prj_1' });
    expect(matchPath('/p/:projectId', '/p/prj_1/')).toEqual({ projectId: 'prj_1' });
    expect(matchPath('/', '/')).toEqual({});
  });

  it('rejects other paths and undecodable params', () => {
    expect(matchPath('/p/:projectId', '/p')).toBeNull();
    expect(matchPath('/p/:projectId', '/q/prj_1')).toBeNull();
    expect(matchPath('/p/:projectId', '/p/%E0%A4%A')).toBeNull();
  });
});

describe('safeRedirect', () => {
  it('keeps in-app paths and refuses anything that leaves the app', () => {
    expect(safeRedirect('/p/prj_1?session=s')).toBe('/p/prj_1?session=s');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect(null)).toBe('/');
  });
});
