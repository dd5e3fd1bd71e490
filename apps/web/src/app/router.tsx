import { createBrowserRouter, Outlet } from 'react-router';
import { Layout } from './Layout';
import { RequireAuth } from './RequireAuth';
import { RequireOperator } from './RequireOperator';
import { NotFound, RouteError } from './RouteError';

/** Each page is its own chunk, loaded when first visited (`lazy` modules export `Component`). */
export const router = createBrowserRouter([
  {
    Component: Layout,
    errorElement: <RouteError />,
    hydrateFallbackElement: null,
    children: [
      { path: 'sign-in', lazy: () => import('../pages/auth/SignIn') },
      { path: 'sign-up', lazy: () => import('../pages/auth/SignUp') },
      { path: 'check-email', lazy: () => import('../pages/auth/CheckEmail') },
      { path: 'email-confirmed', lazy: () => import('../pages/auth/EmailConfirmed') },
      { path: 'forgot-password', lazy: () => import('../pages/auth/ForgotPassword') },
      { path: 'reset-password', lazy: () => import('../pages/auth/ResetPassword') },
      {
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [
          { index: true, lazy: () => import('../pages/Overview') },
          { path: 'calls', lazy: () => import('../pages/calls/Journey') },
          { path: 'calls/:id', lazy: () => import('../pages/calls/Transcript') },
          { path: 'dream-dna', lazy: () => import('../pages/dream-dna/DreamDnaPage') },
          { path: 'dream-dna/questions', lazy: () => import('../pages/dream-dna/Questionnaire') },
          { path: 'dream-dna/analyses', lazy: () => import('../pages/dream-dna/Analyses') },
          { path: 'domains', lazy: () => import('../pages/domains/Domains') },
          { path: 'formation', lazy: () => import('../pages/formation/Formation') },
          { path: 'billing', lazy: () => import('../pages/billing/Billing') },
          { path: 'billing/checkout/:id/confirm', lazy: () => import('../pages/billing/ConfirmCheckout') },
          { path: 'billing/success', lazy: () => import('../pages/billing/Result') },
          { path: 'billing/cancel', lazy: () => import('../pages/billing/Cancelled') },
          { path: 'profile', lazy: () => import('../pages/profile/Profile') },
        ],
      },
      {
        path: 'operator',
        element: (
          <RequireOperator>
            <Outlet />
          </RequireOperator>
        ),
        children: [
          {
            lazy: () => import('../pages/operator/OperatorPages'),
            children: [
              { index: true, lazy: () => import('../pages/operator/Funnel') },
              { path: 'stuck', lazy: () => import('../pages/operator/Stuck') },
              { path: 'founders', lazy: () => import('../pages/operator/Founders') },
              { path: 'founders/:id', lazy: () => import('../pages/operator/founder/FounderFile') },
              { path: 'formation', lazy: () => import('../pages/operator/formation/Cases') },
              { path: 'formation/:id', lazy: () => import('../pages/operator/formation/CaseFile') },
              { path: 'audit', lazy: () => import('../pages/operator/Audit') },
              { path: 'queues', lazy: () => import('../pages/operator/Queues') },
            ],
          },
        ],
      },
      { path: '*', Component: NotFound },
    ],
  },
]);
