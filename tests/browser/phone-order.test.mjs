// A phone order from start to finish at /orders/new (W9), as staff take
// one: the customer found and chosen, a product found and added, the
// quantity, the carrier, the shipping cost and the payment method, the
// totals, then "Créer la commande"; once with the keyboard alone at
// 1280 px, once by touch at 390 px; axe on every page visited. Then
// "Renouveler la commande" (W8) from the order made.
//
// Imported by login.test.mjs, which hands over its pages and helpers.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

export async function phoneOrderTests(t) {
	const { test, check, equal, accessible, noSideways, noProblems, pathOf, textOf, api, newOrder, ATELIER,
		SCREENS, desk, phone } = t;
	const run = `${Date.now().toString(36)}p`;
	const key = execFileSync(process.env.CPT_BIN, ['--config', process.env.CPT_CONFIG, 'shop', 'api-key',
		'--shop', 'atelier', '--name', `browser-phone-${run}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
	const sku = `PHONE-${run}`.toUpperCase();
	let customerEmail;

	// Presses Tab until the element matching `selector` has the focus:
	// as many times as the page's tab order says (DOM order: no tabindex
	// here), then one by one should that order be off.
	async function tabTo(page, selector) {
		const presses = await page.evaluate((s) => {
			const focusable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
				.filter((e) => !e.disabled && e.getClientRects().length > 0);
			const from = focusable.indexOf(document.activeElement);
			const to = focusable.findIndex((e, i) => i > from && e.matches(s));
			return to < 0 ? 0 : to - from;
		}, selector);
		for (let i = 0; i < presses; i++)
			await page.keyboard.press('Tab');
		for (let i = 0; i < 250; i++) {
			if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector))
				return;
			await page.keyboard.press('Tab');
		}
		throw new Error(`Tab never reaches ${selector}`);
	}

	// Presses Enter where the focus is and waits for the page it sends to.
	async function enter(page) {
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
	}

	async function click(page, locator) {
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
	}

	async function checked(page, width, what) {
		if (width === 390)
			await noSideways(page, 390);
		await accessible(page, `${what} at ${width} px`);
		noProblems(page);
	}

	// The whole order; `keys`: the keyboard alone, else clicks and fills.
	async function takeOrder(page, width, keys) {
		const response = await page.goto(`${ATELIER}/orders/new`);
		equal(response.status(), 200, 'status of /orders/new');
		equal(await textOf(page.locator('h1')), 'Nouvelle commande', 'h1');
		await checked(page, width, 'the empty form');

		// The customer found by e-mail and the product by SKU, in one go;
		// then the customer chosen (the products found stay), the product added.
		const email = customerEmail.split('@')[0];
		if (keys) {
			await tabTo(page, '#cq');
			await page.keyboard.type(email);
			await tabTo(page, '#pq');
			await page.keyboard.type(sku.toLowerCase());
			await enter(page);
		} else {
			await page.getByLabel('Chercher un client de la boutique (nom, e-mail ou téléphone)').fill(email);
			await page.getByLabel('Chercher un produit (nom ou référence)').fill(sku);
			await click(page, page.getByRole('button', { name: 'Chercher le client' }));
		}
		const pick = page.getByRole('button', { name: 'Choisir Hélène Dupré' });
		equal(await pick.count(), 1, 'customers found');
		equal(await page.getByRole('button', { name: `Ajouter ${sku}` }).count(), 1, 'products found');
		await checked(page, width, 'the customers and products found');
		if (keys) {
			await tabTo(page, 'button[name=pick]');
			await enter(page);
			await tabTo(page, 'button[name=add]');
			await enter(page);
		} else {
			await click(page, pick);
			await click(page, page.getByRole('button', { name: `Ajouter ${sku}` }));
		}
		check((await textOf(page.locator('#chosen-customer'))).includes('Hélène Dupré'), 'no customer chosen');
		equal(await page.getByRole('group', { name: 'Adresse de facturation' }).getByLabel('Ville *').inputValue(),
			'Lyon', 'the billing city from the last order');
		const line = page.locator('table.order-lines tbody tr');
		equal(await line.count(), 1, 'lines of the order');
		check((await textOf(line)).includes('Carnet de commande téléphonique'), `the line: ${await textOf(line)}`);

		// Quantity, carrier, shipping cost, payment; then the totals again.
		if (keys) {
			await tabTo(page, '#qty_0');
			await page.keyboard.press('Control+A');
			await page.keyboard.type('2');
			await tabTo(page, '#carrier');
			await page.keyboard.type('Colis');
			await tabTo(page, '#shipping_cost');
			await page.keyboard.type('6,90');
			await tabTo(page, '#payment_method');
			await page.keyboard.press('ArrowDown');
			await tabTo(page, 'button[value=update]');
			await enter(page);
		} else {
			await page.getByLabel('Quantité de').fill('2');
			await page.getByLabel('Transporteur').selectOption('colissimo');
			await page.getByLabel(/^Frais de port/).fill('6,90');
			await page.getByLabel('Moyen de paiement *').selectOption({ index: 1 });
			await click(page, page.getByRole('button', { name: 'Mettre à jour les totaux' }).first());
		}
		equal(await page.locator('#carrier').inputValue(), 'colissimo', 'the carrier kept');
		check(await page.locator('#payment_method').inputValue() !== '', 'no payment method kept');
		equal(await page.locator('#qty_0').inputValue(), '2', 'the quantity kept');
		equal((await textOf(page.locator('#grand-total'))).replace(/\s/g, ' '), '36,90 €', 'the total');
		await checked(page, width, 'the form before creating the order');
		await page.screenshot({ path: path.join(SCREENS, `phone-order-${width}.png`), fullPage: true });

		// Taken.
		if (keys) {
			await tabTo(page, 'button[value=create]');
			await enter(page);
		} else {
			await click(page, page.getByRole('button', { name: 'Créer la commande' }));
		}
		check(/^\/orders\/[A-Z0-9]{8}$/.test(pathOf(page)), `path after creating: ${pathOf(page)}`);
		const first = await textOf(page.locator('ol.history li').first());
		check(first.includes('Commande reçue par le téléphone') && first.includes('owner@atelier.example'),
			`first history event: ${first}`);
		await checked(page, width, 'the order taken by telephone');
		return pathOf(page).slice('/orders/'.length);
	}

	await test('a phone order from start to finish with the keyboard alone at 1280 px, accessible at each step', async () => {
		const r = await api('PUT', `/api/v1/products/${sku}`, key,
			{ name: 'Carnet de commande téléphonique', price: 1500, vat_rate: 2000, weight: 200, stock_on_hand: 50 });
		check(r.status === 201 || r.status === 200, `PUT product: ${r.status}`);
		const code = await newOrder();
		const order = await api('GET', `/api/v1/orders/${code}`, key);
		customerEmail = order.json.customer.email;
		check(customerEmail, 'no customer e-mail');
		await takeOrder(desk, 1280, true);
	});

	await test('a phone order from start to finish by touch at 390 px, then renewed from its page', async () => {
		check(customerEmail, 'no customer');
		const code = await takeOrder(phone, 390, false);
		await click(phone, phone.getByRole('link', { name: 'Renouveler la commande' }));
		equal(pathOf(phone), '/orders/new', 'path of the renewed order');
		check(await phone.getByText('les prix sont ceux du catalogue aujourd’hui').isVisible(), 'no word on the prices');
		equal(await phone.locator('#qty_0').inputValue(), '2', 'the quantity renewed');
		check((await textOf(phone.locator('#chosen-customer'))).includes('Hélène Dupré'), 'the customer renewed');
		await checked(phone, 390, `the order ${code} renewed`);
	});
}
