import { useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { keepDashboardOpen } from './dashboard';

const PAGES = [
  { to: '/operator', label: 'Funnel', end: true },
  { to: '/operator/stuck', label: 'Stuck founders' },
  { to: '/operator/founders', label: 'Founders' },
  { to: '/operator/formation', label: 'Formation cases' },
  { to: '/operator/audit', label: 'Audit log' },
  { to: '/operator/queues', label: 'Queues' },
];

/** Every operator page: the staff pages' own menu above the page. */
export function Component() {
  useEffect(keepDashboardOpen, []);
  return (
    <>
      <nav aria-label="Operator pages" className="sub-nav">
        <ul>
          {PAGES.map((page) => (
            <li key={page.to}>
              <NavLink to={page.to} end={page.end}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
