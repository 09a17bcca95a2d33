// Names Manager UI. Talks to /api/names (proxied to the backend). Every name reaches the page through textContent,
// never as HTML; the Content-Security-Policy's Trusted Types would make any HTML sink throw anyway.

const PAGE_SIZE = 20;
const TOAST_MS = 4000;

const ui = {
    banner: byId('error-banner'),
    bannerText: byId('error-text'),
    retry: byId('retry-button'),
    form: byId('add-form'),
    input: byId('name-input'),
    addButton: byId('add-button'),
    nameError: byId('name-error'),
    count: byId('list-count'),
    loading: byId('loading'),
    empty: byId('empty'),
    unavailable: byId('unavailable'),
    list: byId('names'),
    more: byId('more-button'),
    toast: byId('toast'),
};

// The viewer's preferred languages (the browser's language settings) and the device's time zone.
const locales = navigator.languages && navigator.languages.length > 0 ? navigator.languages : undefined;
const timeFormat = new Intl.DateTimeFormat(locales, { dateStyle: 'medium', timeStyle: 'short' });
const fullTimeFormat = new Intl.DateTimeFormat(locales, { dateStyle: 'full', timeStyle: 'long' });

const state = {
    items: new Map(), // id -> <li>, in id order in the DOM
    next: null, // cursor for the following page, null when everything is shown
    saving: false,
    loadingPage: false,
    loadFailed: false, // the last page request failed: the list may be incomplete
};

let toastTimer = 0;

function byId(id) {
    return document.getElementById(id);
}

class ApiError extends Error {
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}

async function api(method, path, body) {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
        options.headers['Content-Type'] = 'application/json';
        options.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(path, options);
    } catch {
        throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
    }
    if (response.status === 204) {
        return null;
    }
    let data = null;
    try {
        data = await response.json();
    } catch {
        // Not JSON: fall back to a message derived from the status below.
    }
    if (!response.ok) {
        const message = data && typeof data.error === 'string' ? data.error : `Request failed (${response.status}).`;
        throw new ApiError(response.status, message);
    }
    return data;
}

function isOutage(error) {
    return error.status === 0 || error.status >= 500;
}

function outageMessage(error) {
    if (error.status === 0) {
        return error.message;
    }
    return 'The names service is not available right now. Please try again in a moment.';
}

function showBanner(message) {
    ui.bannerText.textContent = message;
    ui.banner.hidden = false;
}

function hideBanner() {
    ui.banner.hidden = true;
    ui.bannerText.textContent = '';
}

function showToast(message) {
    ui.toast.textContent = message;
    ui.toast.classList.add('is-visible');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => ui.toast.classList.remove('is-visible'), TOAST_MS);
}

function showFieldError(message) {
    ui.nameError.textContent = message;
    ui.nameError.hidden = false;
    ui.input.setAttribute('aria-invalid', 'true');
}

function clearFieldError() {
    ui.nameError.hidden = true;
    ui.nameError.textContent = '';
    ui.input.removeAttribute('aria-invalid');
}

function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
        return { short: iso, full: iso };
    }
    return { short: timeFormat.format(date), full: fullTimeFormat.format(date) };
}

function avatarClass(name) {
    let hash = 0;
    for (const ch of name) {
        hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    }
    return `avatar avatar-${hash % 6}`;
}

function renderItem(item) {
    const li = document.createElement('li');
    li.className = 'name-item';
    li.dataset.id = String(item.id);

    const avatar = document.createElement('span');
    avatar.className = avatarClass(item.name);
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = (Array.from(item.name)[0] || '?').toUpperCase();

    const body = document.createElement('div');
    body.className = 'name-body';
    const text = document.createElement('p');
    text.className = 'name-text';
    text.textContent = item.name;
    const time = document.createElement('time');
    const formatted = formatTime(item.created_at);
    time.className = 'name-time';
    time.dateTime = item.created_at;
    time.title = formatted.full;
    time.textContent = `Added ${formatted.short}`;
    body.append(text, time);

    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'button button-delete';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${item.name}`);
    remove.addEventListener('click', () => deleteName(item, li, remove));

    li.append(avatar, body, remove);
    return li;
}

// Keeps the list in id order whatever the order items arrive in (a name just added, then an older page).
function insertItem(item) {
    const id = Number(item.id);
    if (state.items.has(id)) {
        return null;
    }
    const li = renderItem(item);
    let before = null;
    for (const [otherId, other] of state.items) {
        if (otherId > id && (before === null || otherId < Number(before.dataset.id))) {
            before = other;
        }
    }
    ui.list.insertBefore(li, before);
    state.items.set(id, li);
    return li;
}

function updateSummary() {
    const count = state.items.size;
    ui.empty.hidden = count > 0 || state.loadingPage || state.loadFailed;
    ui.unavailable.hidden = count > 0 || state.loadingPage || !state.loadFailed;
    ui.more.hidden = state.next === null;
    if (count === 0) {
        ui.count.textContent = '';
    } else if (state.next === null) {
        ui.count.textContent = count === 1 ? '1 name' : `${count} names`;
    } else {
        ui.count.textContent = `${count} shown`;
    }
}

async function loadPage() {
    if (state.loadingPage) {
        return [];
    }
    state.loadingPage = true;
    ui.more.disabled = true;
    ui.more.textContent = 'Loading…';
    const first = state.items.size === 0;
    ui.loading.hidden = !first;
    updateSummary();
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (state.next !== null) {
        query.set('after', String(state.next));
    }
    try {
        const page = await api('GET', `/api/names?${query}`);
        hideBanner();
        state.loadFailed = false;
        state.next = page.next ?? null;
        return page.names.map(insertItem).filter((li) => li !== null);
    } catch (error) {
        state.loadFailed = true;
        showBanner(isOutage(error) ? outageMessage(error) : error.message);
        return [];
    } finally {
        state.loadingPage = false;
        ui.loading.hidden = true;
        ui.more.disabled = false;
        ui.more.textContent = 'Load more';
        updateSummary();
    }
}

async function reload() {
    state.items.clear();
    state.next = null;
    ui.list.replaceChildren();
    await loadPage();
}

async function addName(event) {
    event.preventDefault();
    if (state.saving) {
        return;
    }
    state.saving = true;
    ui.addButton.disabled = true;
    ui.addButton.textContent = 'Adding…';
    ui.form.setAttribute('aria-busy', 'true');
    try {
        const created = await api('POST', '/api/names', { name: ui.input.value });
        clearFieldError();
        hideBanner();
        ui.input.value = '';
        if (state.loadFailed) {
            // The list never loaded: load it now, the new name included.
            await reload();
        } else if (state.next === null) {
            insertItem(created);
        }
        updateSummary();
        // A name beyond the pages shown so far would appear twice once they load: it shows up at the end.
        const where = state.next === null ? '' : ' at the end of the list';
        showToast(`Added “${created.name}”${where}.`);
    } catch (error) {
        if (isOutage(error)) {
            showBanner(outageMessage(error));
        } else {
            showFieldError(error.message);
        }
    } finally {
        state.saving = false;
        ui.addButton.disabled = false;
        ui.addButton.textContent = 'Add';
        ui.form.removeAttribute('aria-busy');
        ui.input.focus();
    }
}

function focusAfterRemoval(li) {
    const neighbour = li.nextElementSibling || li.previousElementSibling;
    const target = neighbour ? neighbour.querySelector('button') : ui.input;
    target.focus();
}

async function deleteName(item, li, button) {
    button.disabled = true;
    li.classList.add('is-removing');
    try {
        await api('DELETE', `/api/names/${encodeURIComponent(item.id)}`);
    } catch (error) {
        // 404: someone else deleted it already; the outcome the user asked for.
        if (error.status !== 404) {
            button.disabled = false;
            li.classList.remove('is-removing');
            showBanner(isOutage(error) ? outageMessage(error) : error.message);
            return;
        }
    }
    hideBanner();
    focusAfterRemoval(li);
    li.remove();
    state.items.delete(Number(item.id));
    updateSummary();
    showToast(`Deleted “${item.name}”.`);
}

async function loadMore() {
    const added = await loadPage();
    if (ui.more.hidden && added.length > 0) {
        added[0].querySelector('button').focus();
    }
}

ui.form.addEventListener('submit', addName);
ui.input.addEventListener('input', clearFieldError);
ui.more.addEventListener('click', loadMore);
ui.retry.addEventListener('click', async () => {
    await reload();
    // The banner (and its button) is gone when the retry worked: put the keyboard back where work happens.
    if (ui.banner.hidden) {
        ui.input.focus();
    }
});
reload();
