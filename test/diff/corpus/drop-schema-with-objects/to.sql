CREATE TABLE public.keep (id int PRIMARY KEY, item_id int);
