interface DependencyExtraction {
	externalizeWpDeps: (
		data: { request: string },
		callback: ( error?: Error | null, external?: unknown ) => void
	) => void;
}

const config = jest.requireActual< { plugins: object[] } >(
	'../webpack.config'
);

/**
 * Asks the build's dependency extraction what it does with an import.
 *
 * @param request Module request.
 * @return The external it maps to; undefined when webpack bundles the module.
 */
function externalFor( request: string ): Promise< unknown > {
	const plugins = config.plugins.filter(
		( plugin ) =>
			plugin.constructor.name === 'DependencyExtractionWebpackPlugin'
	) as DependencyExtraction[];
	expect( plugins ).toHaveLength( 1 );
	return new Promise( ( resolve, reject ) =>
		plugins[ 0 ]?.externalizeWpDeps( { request }, ( error, external ) =>
			error ? reject( error ) : resolve( external )
		)
	);
}

describe( 'webpack.config.js', () => {
	it( 'bundles the JSX runtime, which WordPress 6.1 does not ship', async () => {
		await expect(
			externalFor( 'react/jsx-runtime' )
		).resolves.toBeUndefined();
		await expect(
			externalFor( 'react/jsx-dev-runtime' )
		).resolves.toBeUndefined();
	} );

	it( 'still takes React and the WordPress packages from WordPress', async () => {
		await expect( externalFor( 'react' ) ).resolves.toBe( 'React' );
		await expect( externalFor( '@wordpress/components' ) ).resolves.toEqual(
			[ 'wp', 'components' ]
		);
	} );
} );
