/** The US states and DC, as the API names them (state_of_operation, state_of_formation, an address's state). */
export const US_STATES = ['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'] as const;

/** The business types, in the founder's words. */
export const ENTITY_TYPES = { llc: 'LLC', corporation: 'Corporation', partnership: 'Partnership', sole_proprietorship: 'Sole proprietorship', nonprofit: 'Nonprofit' } as const;
